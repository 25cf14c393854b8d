// What the page remembers between actions. Never a secret: a typed one is
// handed to Rust on change, and the field is emptied on save.
export const state = {
  info: null, // app_info: steps, demo users, entity lists, store backend
  vendors: [], // the presets, from Rust
  vendor: null, // the chosen preset
  secretDirty: false, // the secret field changed since Rust last got it
  secretHeld: false, // Rust holds a secret the field does not show (pasted, demo)
  // The saved profile the form shows (just saved or loaded), until a field
  // changes: with no secret typed, Test connection tests it, stored secret and all.
  savedProfile: null,
  checkPassed: false,
  busy: false,
  storeOk: true,
  storeBackend: "credential store",
  // Where the profile name came from: "typed" is the technician's and stays;
  // "suggested" and "loaded" follow the form.
  nameFrom: null,
  profileNames: [],
  // The integration's needs: { Tickets: "write", Companies: "read", … }.
  needs: {},
};
