/**
 * Resources of Docker Swarm services: {@link org.containerlimits.docker.swarm.ServiceResources}
 * (the limits and reservations of each task), {@link org.containerlimits.docker.swarm.ServiceField}
 * (the one table of a service's resource fields, flags and Engine fields) and
 * {@link org.containerlimits.docker.swarm.SwarmLimits}, which checks them against the swarm's nodes,
 * creates and updates services with them, waits until their tasks run with them and reads them back
 * from each task's container.
 */
package org.containerlimits.docker.swarm;
