package dev.neutron.store.jdbc;

/** One row of {@code neutron_messages} as stored: the message id (may be null) and its JSON record. */
record MessageRow(String id, String record) {
}
