/**
 * The Pushover transport: {@link com.cabalmail.alert.pushover.PushoverProvider}, found by
 * {@link java.util.ServiceLoader} under the name {@code pushover}, and
 * {@link com.cabalmail.alert.pushover.PushoverConfig} for embedders. Everything else is
 * package-private: the transport, its settings, the message built within Pushover's limits
 * (counted in code points) and the reading of Pushover's answers.
 */
package com.cabalmail.alert.pushover;
