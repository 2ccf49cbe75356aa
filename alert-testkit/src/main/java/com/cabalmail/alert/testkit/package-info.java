/**
 * The test kit for transport plugins and the modules around them, used in test scope (what
 * {@code micrometer-test} is to a Micrometer registry): {@link
 * com.cabalmail.alert.testkit.TransportTestKit}, the behaviour every transport shares, run over
 * real HTTP against WireMock; {@link com.cabalmail.alert.testkit.ProviderTestKit}, the contract
 * every transport provider shares (discovery, name, declared keys, one problem per bad setting);
 * {@link com.cabalmail.alert.testkit.ManualTicker}, virtual time for
 * retries; {@link com.cabalmail.alert.testkit.CapturedLogs}, an SLF4J backend the kit binds
 * itself; the providers' documented answers ({@link com.cabalmail.alert.testkit.PushoverStandIn},
 * {@link com.cabalmail.alert.testkit.NtfyStandIn}, {@link
 * com.cabalmail.alert.testkit.HealthchecksStandIn}); recorded webhook bodies ({@link
 * com.cabalmail.alert.testkit.WebhookSamples}); real peer programs for end-to-end tests ({@link
 * com.cabalmail.alert.testkit.Peers}); a WireMock stand-in on a free port with answers given
 * in turn ({@link com.cabalmail.alert.testkit.StandInServer}); and a warm-up exchange ({@link
 * com.cabalmail.alert.testkit.WarmUp}).
 */
package com.cabalmail.alert.testkit;
