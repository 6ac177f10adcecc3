/**
 * What a spawner grants: defaults, named profiles and ceilings
 * ({@link org.containerlimits.core.policy.LimitsPolicy}) applied to what a user asks for.
 */
package org.containerlimits.core.policy;
