/** The package's ES module build has no declarations of its own; it is the same class as the default build. */
declare module 'simple-keyboard/build/index.modern.esm.js' {
  export { SimpleKeyboard as default } from 'simple-keyboard';
}
