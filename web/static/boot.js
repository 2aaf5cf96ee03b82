// Starts the WebAssembly application (a file, not inline: see theme.js).
import init from "/assets/codehub-web.js?v=@VERSION@";
init({ module_or_path: "/assets/codehub-web_bg.wasm?v=@VERSION@" });
