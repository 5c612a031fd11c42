/** A problem with the user's input: the CLI prints one line on stderr and exits 2. */
export class InputError extends Error {}
