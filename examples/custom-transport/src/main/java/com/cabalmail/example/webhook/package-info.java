/**
 * An example transport plugin, {@link com.cabalmail.example.webhook.WebhookProvider} (name
 * {@code webhook}), in the same shape as the shipped ones: a provider with public setting
 * keys, a typed {@link com.cabalmail.example.webhook.WebhookConfig} for embedders, and a
 * package-private transport.
 */
package com.cabalmail.example.webhook;
