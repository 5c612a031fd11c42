"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

type Theme = "system" | "light" | "dark";
const KEY = "cachescope:theme";
const NEXT: Record<Theme, Theme> = { system: "dark", dark: "light", light: "system" };
const LABEL: Record<Theme, string> = { system: "Auto", light: "Light", dark: "Dark" };

function apply(theme: Theme) {
  const root = document.documentElement;
  if (theme === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", theme);
}

/** Follows prefers-color-scheme until pinned to light or dark (kept in localStorage). */
export function useTheme(): [Theme, () => void] {
  const [theme, setTheme] = useState<Theme>("system");
  useEffect(() => {
    let saved: Theme = "system";
    try {
      const v = localStorage.getItem(KEY);
      if (v === "light" || v === "dark") saved = v;
    } catch {
      // Storage off: stay on the system theme.
    }
    setTheme(saved);
    apply(saved);
  }, []);
  const cycle = () =>
    setTheme((t) => {
      const n = NEXT[t];
      apply(n);
      try {
        if (n === "system") localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, n);
      } catch {
        // Storage off: the choice lasts for this page only.
      }
      return n;
    });
  return [theme, cycle];
}

export function ThemeToggle({ theme, onToggle }: { theme: Theme; onToggle(): void }) {
  return (
    <Button size="sm" variant="ghost" onClick={onToggle} aria-label={`Colour theme: ${LABEL[theme]} (click to change)`} data-testid="theme-toggle">
      <span aria-hidden>{theme === "dark" ? "☾" : theme === "light" ? "☀" : "◐"}</span>
      {LABEL[theme]}
    </Button>
  );
}
