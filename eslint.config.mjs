// ESLint for the site's own browser scripts (docs/assets/javascripts/); run by tests/test_lint.py.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["docs/assets/javascripts/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script", // plain deferred scripts, no bundler
      globals: { ...globals.browser, kb: "readonly", MiniSearch: "readonly" },  // kb: the shared helpers of kb.js
    },
    rules: {
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      eqeqeq: ["error", "smart"],
      "no-var": "off", // the scripts are written in ES5 style on purpose (no build step)
      // the front end's two conventions (kb.js header): one start per script, event delegation
      "no-restricted-syntax": ["error",
        {
          selector: "CallExpression[callee.property.name='addEventListener'][arguments.0.value='DOMContentLoaded']",
          message: "start a script with kb.ready(init), not its own DOMContentLoaded listener",
        },
        {
          selector: "CallExpression[callee.property.name='forEach'] CallExpression[callee.property.name='addEventListener']",
          message: "no listener per element in a loop: one listener on the feature's root, dispatching by closest() (kb.dispatch)",
        },
      ],
    },
  },
  {
    // kb.ready itself; progress.js loads before kb.js (its storage notice may come before the body)
    files: ["docs/assets/javascripts/kb.js", "docs/assets/javascripts/progress.js"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // calculator.js also runs under Node in tests/test_calculator.py (the parity test against Python)
    files: ["docs/assets/javascripts/calculator.js"],
    languageOptions: { globals: { module: "readonly" } },
  },
  {
    files: ["kb/*.mjs", "hooks/*.mjs", "scripts/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
];
