/**
 * The demo plugin: {@link org.jobhost.demo.DemoSource} emits jobs of type {@code demo} at a
 * configured rate and count, and {@link org.jobhost.demo.DemoRunner} runs them by sleeping or
 * computing for a configured time, so a fresh installation shows the host working.
 */
package org.jobhost.demo;
