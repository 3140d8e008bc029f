package dev.neutron.store.jdbc;

/**
 * One row of {@code neutron_messages} as stored: the message id (may be null), its parent's id (null for the first
 * message, and in rows written before trees, whose parent the tree rule gives) and its JSON record.
 */
record MessageRow(String id, String parentId, String record) {
}
