/** What a spinner writes to: a terminal stream. */
export interface SpinnerStream {
  readonly isTTY?: boolean;
  /** Writes text as is. */
  write(text: string): unknown;
}

/** A spinner that may be stopped before it ever showed. */
export interface Spinner {
  /** Clears the spinner line (if shown) and stops it. */
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Shows `label` with a spinner on `stream` once a call has taken `delayMs` (quick calls stay silent),
 * only when `stream` is a terminal: never in a pipe or a file.
 */
export function startSpinner(stream: SpinnerStream, label: string, delayMs = 300): Spinner {
  if (!stream.isTTY) return { stop() {} };
  let frame = 0;
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    shown = true;
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label}`);
  };
  const delay = setTimeout(() => {
    draw();
    timer = setInterval(draw, 80);
    timer.unref();
  }, delayMs);
  delay.unref();
  return {
    stop() {
      clearTimeout(delay);
      if (timer) clearInterval(timer);
      if (shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
