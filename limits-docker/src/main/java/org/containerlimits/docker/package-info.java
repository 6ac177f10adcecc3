/**
 * Applies {@link org.containerlimits.core.ResourceLimits} to Docker containers through docker-java,
 * checks them against what the daemon can enforce, and reads them back.
 */
package org.containerlimits.docker;
