package com.cabalmail.alert.decode;

/**
 * Turns a monitoring tool's webhook body into alerts: the one public entry point of this
 * package. IMPLEMENTATION PENDING (issue 4): this file fixes the API the sink codes against.
 *
 * <pre>
 * WebhookDecoder decoder = WebhookDecoder.fromSettings(settings);
 * AlertBatch batch = decoder.decode(body, contentType, WebhookFormat.AUTO);
 * </pre>
 */
public final class WebhookDecoder {

  private WebhookDecoder() {}

  /**
   * Reads the decoder's settings (body and alert limits, runbook map), recording problems in
   * {@code settings}.
   */
  public static WebhookDecoder fromSettings(com.cabalmail.alert.spi.Settings settings) {
    return new WebhookDecoder();
  }

  /**
   * Decodes {@code body}.
   *
   * @param contentType the declared content type, a hint only (may be null)
   * @param format the shape, or {@link WebhookFormat#AUTO} to detect it
   * @throws DecodeException saying what is wrong and where
   */
  public AlertBatch decode(byte[] body, String contentType, WebhookFormat format)
      throws DecodeException {
    throw new DecodeException("decoding is not implemented yet");
  }
}
