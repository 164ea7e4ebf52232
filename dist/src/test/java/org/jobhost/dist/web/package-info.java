/** Whole-process tests of the web plugin: metrics scraped from a running daemon, the dashboard. */
package org.jobhost.dist.web;
