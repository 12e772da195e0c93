import type { ReadStream } from "node:tty";

/** Thrown when the person at the terminal pressed Ctrl-C or Ctrl-D at a prompt. */
export class PromptAbortedError extends Error {
  override readonly name = "PromptAbortedError";
}

/** Reads all of standard input and drops one trailing newline (`echo secret | tokenkit … --password-stdin`). */
export async function readAllStdin(stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/**
 * Asks for one value on the terminal. With `hidden`, echo is off (raw mode: nothing typed is shown,
 * as for ssh and sudo passwords); the question goes to `output` (stderr, so `$(tokenkit token …)` works).
 */
export function promptLine(question: string, hidden: boolean, input: ReadStream = process.stdin as ReadStream, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = "";
    output.write(question);
    const wasRaw = input.isRaw;
    input.setRawMode(true);
    input.setEncoding("utf8");
    input.resume();
    const finish = (error?: Error) => {
      input.setRawMode(wasRaw);
      input.off("data", onData);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: string) => {
      for (const char of data) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || (char === "\u0004" && value === "")) return finish(new PromptAbortedError("prompt cancelled"));
        if (char === "\u007f" || char === "\b") {
          const chars = [...value];
          if (chars.length > 0 && !hidden) output.write("\b \b");
          value = chars.slice(0, -1).join("");
        } else if (char >= " ") {
          value += char;
          if (!hidden) output.write(char);
        }
      }
    };
    input.on("data", onData);
  });
}
