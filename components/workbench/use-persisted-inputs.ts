"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { EMPTY_INPUTS, type WorkbenchInputs } from "./inputs";
import { STASH_KEY, STORAGE_KEY, isLarge, readSlot, removeSlot, stashOwnInputs, writeSlot } from "./input-store";

/** Saving a large input waits this long (and for an idle moment): the analysis draws first. */
const LARGE_SAVE_DELAY_MS = 2500;

export { STORAGE_KEY, STASH_KEY };

/** "link": the inputs came from a shared link and are not kept (the person's own stay stored). */
export type PersistState = "idle" | "saved" | "too-large" | "unavailable" | "link";

/** Whose inputs are on screen: the person's own (kept in this browser) or a shared link's (never kept). */
export type InputsOrigin = "own" | "link";

/**
 * Inputs kept in this browser until cleared (input-store: localStorage, IndexedDB when large).
 * `hydrated` turns true after the first client effect, once storage (or an earlier source such as a
 * permalink) has been read. `initial` (a stored link's inputs) is what the first render shows.
 *
 * Inputs opened from a link are never written to storage: the person's own inputs stay where they
 * were (and are stashed, so editing the link's inputs cannot overwrite them) and can be restored.
 */
export function usePersistedInputs(initial?: WorkbenchInputs) {
  const [inputs, setInputs] = useState<WorkbenchInputs>(initial ?? EMPTY_INPUTS);
  const [origin, setOriginState] = useState<InputsOrigin>(initial ? "link" : "own");
  const [hydrated, setHydrated] = useState(false);
  const [persist, setPersist] = useState<PersistState>(initial ? "link" : "idle");
  /** The person's own inputs are set aside (a link is open): offer to restore them. */
  const [stashed, setStashed] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadFromStorage = useCallback((): Promise<WorkbenchInputs | null> => readSlot(STORAGE_KEY), []);
  const markHydrated = useCallback(() => setHydrated(true), []);

  /** A link's inputs are on screen: keep the person's own aside. */
  const openedLink = useCallback(async (unsavedOwn: WorkbenchInputs | null) => {
    if (timer.current) clearTimeout(timer.current);
    // Own inputs still waiting for their debounced save are saved now, then set aside.
    if (unsavedOwn) await writeSlot(STORAGE_KEY, unsavedOwn);
    setOriginState("link");
    setPersist("link");
    if (await stashOwnInputs()) setStashed(true);
  }, []);

  const discardStash = useCallback(() => {
    setStashed(false);
    void removeSlot(STASH_KEY);
  }, []);

  const setOrigin = useCallback((o: InputsOrigin) => {
    setOriginState(o);
    if (o === "own") setPersist((p) => (p === "link" ? "idle" : p));
  }, []);

  useEffect(() => {
    if (!hydrated || origin !== "own") return;
    if (timer.current) clearTimeout(timer.current);
    const large = isLarge(inputs);
    timer.current = setTimeout(
      () => {
        const save = () => void writeSlot(STORAGE_KEY, inputs).then(setPersist);
        if (large && typeof requestIdleCallback === "function") requestIdleCallback(save, { timeout: 5000 });
        else save();
      },
      large ? LARGE_SAVE_DELAY_MS : 300,
    );
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [inputs, hydrated, origin]);

  /** Put the stashed own inputs back on screen (and in storage). */
  const restoreOwn = useCallback(async (): Promise<boolean> => {
    const own = await readSlot(STASH_KEY);
    if (!own) {
      setStashed(false);
      return false;
    }
    setOriginState("own");
    setPersist("idle");
    setInputs(own);
    await removeSlot(STASH_KEY);
    setStashed(false);
    return true;
  }, []);

  const clear = useCallback(() => {
    setInputs(EMPTY_INPUTS);
    setOriginState("own");
    setPersist("idle");
    void removeSlot(STORAGE_KEY);
  }, []);

  // A stash left from an earlier visit: offer it while a link is open.
  useEffect(() => {
    if (!hydrated) return;
    try {
      if (window.localStorage.getItem(STASH_KEY)) setStashed(true);
    } catch {
      // Storage off: nothing stashed.
    }
  }, [hydrated]);

  return { inputs, setInputs, origin, setOrigin, openedLink, stashed, restoreOwn, discardStash, hydrated, markHydrated, loadFromStorage, clear, persist };
}
