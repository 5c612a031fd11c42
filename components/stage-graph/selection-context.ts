"use client";

import { createContext } from "react";

/** The selected step id, read by the memoised node components (no callbacks in node data). */
export const SelectedStepContext = createContext<string | null>(null);

/**
 * The graph's roving tab stop: a node id ("stage:N") or "step:<id>". Only that element has
 * tabIndex 0, so the whole graph is one stop in the tab order; the arrow keys move it.
 */
export const GraphFocusContext = createContext<string | null>(null);
