// Client stand-in for "@builder.io/qwik/preloader" (see vite.config.ts). Pages render with `preloader: false`, so the
// real module never gets a bundle graph and its preload() does nothing; the runtime still imports it statically.
export const p = () => {};
export const l = () => {};
export const h = () => {};
export const g = () => new Map();
