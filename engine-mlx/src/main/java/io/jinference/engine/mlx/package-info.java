/** The MLX engine: a managed mlx_lm server per model, proxied by the host. Private to the bundle. */
package io.jinference.engine.mlx;
