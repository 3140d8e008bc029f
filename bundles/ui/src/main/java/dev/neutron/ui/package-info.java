/** The web UI bundle: serves the built React app from /web inside this bundle. Private. */
package dev.neutron.ui;
