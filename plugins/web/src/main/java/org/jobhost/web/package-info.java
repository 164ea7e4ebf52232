/**
 * The web plugin: a Prometheus endpoint ({@code GET /metrics}), a live dashboard ({@code GET /})
 * and its JSON API ({@code /api/}), served on a loopback address with the JDK's HTTP server. It
 * reads the daemon through the read-only views of {@link org.jobhost.api.Host} and steers it
 * (pause, resume, resize, stop one job) through the same handle, with a token for every action.
 */
package org.jobhost.web;
