/** JMH benchmarks of the host, each against a baseline measured in the same run. */
package org.jobhost.bench;
