"use client";

import { createContext } from "react";

/** The selected step id, read by the memoised node components (no callbacks in node data). */
export const SelectedStepContext = createContext<string | null>(null);
