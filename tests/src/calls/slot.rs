//! A place in a call in wire terms, and how to read, set and remove the value there.

use codegen::model::FieldPath;
use serde_json::{json, Value};

/// A place in a call: `msgList[0].ext` is [Key(msgList), Index(0), Key(ext)].
#[derive(Debug, Clone, Default)]
pub(super) struct Slot(pub(super) Vec<Step>);

#[derive(Debug, Clone)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

impl Slot {
    pub(super) fn of(path: &FieldPath) -> Slot {
        Slot(
            path.steps
                .iter()
                .map(|s| Step::Key(s.wire.clone()))
                .collect(),
        )
    }

    /// The slot a violation path names: `msgList[0].ext`.
    pub(super) fn parse(path: &str) -> Slot {
        let mut steps = Vec::new();
        for part in path.split('.') {
            let mut pieces = part.split('[');
            steps.push(Step::Key(pieces.next().unwrap_or_default().to_owned()));
            for index in pieces {
                let index = index.trim_end_matches(']').parse().unwrap_or(0);
                steps.push(Step::Index(index));
            }
        }
        Slot(steps)
    }

    /// The path without list indexes, as rules name fields: `msgList.ext`.
    pub(super) fn without_indexes(&self) -> String {
        let keys = self.0.iter().filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        });
        keys.collect::<Vec<_>>().join(".")
    }

    pub(super) fn then(&self, step: Step) -> Slot {
        let mut steps = self.0.clone();
        steps.push(step);
        Slot(steps)
    }

    /// The violation path: `msgList[0].ext`.
    pub(super) fn path(&self) -> String {
        let mut out = String::new();
        for step in &self.0 {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => out = format!("{out}.{k}"),
                Step::Index(i) => out = format!("{out}[{i}]"),
            }
        }
        out
    }

    pub(super) fn get<'a>(&self, call: &'a Value) -> Option<&'a Value> {
        self.0.iter().try_fold(call, |at, step| match step {
            Step::Key(k) => at.get(k),
            Step::Index(i) => at.get(i),
        })
    }

    /// `call` with `value` here; missing objects on the way are created empty.
    pub(super) fn set(&self, call: &Value, value: Value) -> Value {
        let mut call = call.clone();
        let (last, parents) = self.0.split_last().expect("a slot names a field");
        let mut at = &mut call;
        for step in parents {
            at = match step {
                Step::Key(k) => at.as_object_mut().unwrap().entry(k).or_insert(json!({})),
                Step::Index(i) => &mut at[*i],
            };
        }
        match last {
            Step::Key(k) => at.as_object_mut().unwrap().insert(k.clone(), value),
            Step::Index(i) => Some(std::mem::replace(&mut at[*i], value)),
        };
        call
    }

    /// `call` without the field here.
    pub(super) fn remove(&self, call: &Value) -> Value {
        let mut call = call.clone();
        let Some((Step::Key(key), parents)) = self.0.split_last() else {
            unreachable!("only fields are removed")
        };
        let parent = parents.iter().try_fold(&mut call, |at, step| match step {
            Step::Key(k) => at.get_mut(k.as_str()),
            Step::Index(i) => at.get_mut(*i),
        });
        if let Some(Value::Object(map)) = parent {
            map.remove(key);
        }
        call
    }
}

/// `call` with the field at `slot` set to `value`, or removed for `None`.
pub(super) fn then_set(slot: &Slot, call: &Value, value: &Option<Value>) -> Value {
    match value {
        Some(v) => slot.set(call, v.clone()),
        None => slot.remove(call),
    }
}
