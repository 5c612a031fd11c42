"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { EMPTY_INPUTS, restoreInputs, type WorkbenchInputs } from "./inputs";

export const STORAGE_KEY = "cachescope:inputs:v1";

export type PersistState = "idle" | "saved" | "too-large" | "unavailable";

/**
 * Inputs kept in localStorage until cleared. `hydrated` turns true after the first client effect,
 * once storage (or an earlier source such as a permalink) has been read. `initial` (a stored link's
 * inputs) is what the first render shows.
 */
export function usePersistedInputs(initial?: WorkbenchInputs) {
  const [inputs, setInputs] = useState<WorkbenchInputs>(initial ?? EMPTY_INPUTS);
  const [hydrated, setHydrated] = useState(false);
  const [persist, setPersist] = useState<PersistState>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const loadFromStorage = useCallback((): WorkbenchInputs | null => {
    try {
      const raw = window.localStorage.getItem(STORAGE_KEY);
      return raw ? restoreInputs(JSON.parse(raw)) : null;
    } catch {
      // Storage disabled or corrupt JSON: start empty (nothing else to recover).
      return null;
    }
  }, []);

  const markHydrated = useCallback(() => setHydrated(true), []);

  useEffect(() => {
    if (!hydrated) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      try {
        const empty = Object.values(inputs).every((v) => v === "");
        if (empty) window.localStorage.removeItem(STORAGE_KEY);
        else window.localStorage.setItem(STORAGE_KEY, JSON.stringify(inputs));
        setPersist("saved");
      } catch (e) {
        setPersist(e instanceof DOMException && /quota/i.test(e.name + e.message) ? "too-large" : "unavailable");
      }
    }, 300);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [inputs, hydrated]);

  const clear = useCallback(() => {
    setInputs(EMPTY_INPUTS);
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage unavailable: nothing stored to remove.
    }
  }, []);

  return { inputs, setInputs, hydrated, markHydrated, loadFromStorage, clear, persist };
}
