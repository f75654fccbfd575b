// Merges the patches of vars written with AppendLogged._write_logged (app/states/
// append_log.py) into the browser's copy of each var, so components read the whole value.
//
// A patch `<name>_log` = {v, at, add}: cut the held value at `at` (list items, or UTF-16
// units of a text) and append `add`. The merge runs inside the state store's own
// notification, once per delta and in order, before React renders: a delta that carries
// the whole value (a hydrate, a full send) replaces the base instead. A patch that does
// not follow the last one (this copy missed one) asks the backend for the whole value.
import { useContext } from "react";
import { StateStoreContext, addEvents } from "$/utils/context";
import { ReflexEvent } from "$/utils/state";

const FIELD = "_rx_state_";
const watching = new WeakMap(); // store -> Set of "state|var"

function watch(store, stateName, name) {
  const valueKey = name + FIELD;
  const logKey = name + "_log" + FIELD;
  const dispatch = store.dispatchers && store.dispatchers[stateName];
  let value;
  let log;
  let version;
  let first = true;
  let merging = false;

  const resync = () =>
    addEvents([ReflexEvent(stateName + ".resync_log", { name: name }, {})], [], {});

  const check = () => {
    if (merging) return;
    const state = store.getSnapshot(stateName);
    if (!state || !(logKey in state)) return;
    const nextValue = state[valueKey];
    const nextLog = state[logKey];
    if (first || nextValue !== value) {
      // The whole value, as the server sent it: the base later patches apply to.
      if (first && nextLog && nextLog.v > 0) resync(); // mounted late: patches were missed
      first = false;
      value = nextValue;
      log = nextLog;
      version = nextLog ? nextLog.v : 0;
      return;
    }
    if (!nextLog || nextLog === log) return;
    log = nextLog;
    if (nextLog.at !== 0 && nextLog.v <= version) return; // already merged
    if (nextLog.at !== 0 && nextLog.v !== version + 1) {
      resync(); // a patch went missing
      return;
    }
    version = nextLog.v;
    const merged =
      typeof value === "string"
        ? value.slice(0, nextLog.at) + nextLog.add
        : value.slice(0, nextLog.at).concat(nextLog.add);
    if (typeof dispatch !== "function") return;
    merging = true;
    try {
      dispatch({ [valueKey]: merged });
    } finally {
      merging = false;
    }
    value = store.getSnapshot(stateName)[valueKey];
  };

  store.subscribe(stateName, check);
  check();
}

// Renders nothing: starts merging the logged vars `names` of state `stateName` (once per
// page; the merge outlives the component, as the state store does).
export function AppendLogSync({ stateName, names }) {
  const store = useContext(StateStoreContext);
  if (store && typeof document !== "undefined") {
    let seen = watching.get(store);
    if (!seen) {
      seen = new Set();
      watching.set(store, seen);
    }
    for (const name of names || []) {
      const key = stateName + "|" + name;
      if (!seen.has(key)) {
        seen.add(key);
        watch(store, stateName, name);
      }
    }
  }
  return null;
}
