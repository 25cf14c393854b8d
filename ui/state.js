// What the page itself remembers between actions: its own choices and
// lists, never a rule about the form (Rust's FormState, in `form`, decides
// those) and never a secret.
export const state = {
  info: null, // app_info: steps, demo users, entity lists, store backend
  vendors: [], // the presets, from Rust
  vendor: null, // the chosen preset
  busy: false, // a check is running: buttons that send a secret wait
  storeBackend: "credential store",
  // Where the profile name came from: "typed" is the technician's and stays;
  // "suggested" and "loaded" follow the form.
  nameFrom: null,
  profileNames: [],
  // The integration's needs as picked: { Tickets: "write", Companies: "read", … }.
  needs: {},
  // Rust's view::FormState, as last answered; written only by render.js.
  form: null,
};
