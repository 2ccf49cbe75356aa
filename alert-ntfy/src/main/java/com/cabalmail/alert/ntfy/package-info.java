/**
 * The ntfy transport: {@link com.cabalmail.alert.ntfy.NtfyProvider}, found by
 * {@link java.util.ServiceLoader} under the name {@code ntfy}, and
 * {@link com.cabalmail.alert.ntfy.NtfyConfig} for embedders. Everything else is
 * package-private: the transport, its settings, the JSON message and the reading of ntfy's
 * answers.
 */
package com.cabalmail.alert.ntfy;
