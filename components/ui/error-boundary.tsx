"use client";

import { Component, type ErrorInfo, type ReactNode } from "react";

interface Props {
  /** What failed, in words ("the stage graph"). */
  what: string;
  children: ReactNode;
  /** When this changes, the boundary resets (e.g. a new report). */
  resetKey?: unknown;
}

interface State {
  failed: boolean;
  resetKey: unknown;
}

/** Keeps one view's crash from blanking the page; shows a short message, never a stack trace. */
export class ErrorBoundary extends Component<Props, State> {
  state: State = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (props.resetKey !== state.resetKey) return { failed: false, resetKey: props.resetKey };
    return null;
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`Cachescope: ${this.props.what} failed to render`, error, info.componentStack);
  }

  render() {
    if (this.state.failed) {
      return (
        <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/40 dark:text-red-200">
          Could not show {this.props.what} for this build. The other views still work.{" "}
          <button type="button" className="underline" onClick={() => this.setState({ failed: false })}>
            Retry
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
