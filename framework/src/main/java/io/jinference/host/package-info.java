/** The host profile: probed from this machine, or given as a preset or JSON to ask what could run elsewhere. Private to the host. */
package io.jinference.host;
