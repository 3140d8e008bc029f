package dev.neutron.api;

/** How an attachment goes into a model's context. The names are the JSON wire values. */
public enum AttachmentKind {
    /** UTF-8 text, inlined as text. */
    text,
    /** A PDF, whose extracted text is inlined. */
    pdf,
    /** An image, sent as base64 to a model that can see. */
    image
}
