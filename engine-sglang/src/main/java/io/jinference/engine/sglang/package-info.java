/** The SGLang engine: a managed SGLang server per model, proxied by the host. Private to the bundle. */
package io.jinference.engine.sglang;
