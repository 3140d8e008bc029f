package dev.neutron.api;

/**
 * What an attachment contributes to a prompt: extracted text (text files, PDFs) or a base64 image (for vision models).
 *
 * @param truncated true when {@code text} was cut to the requested limit
 */
public record AttachmentContent(Attachment attachment, String text, boolean truncated, String imageBase64) {
}
