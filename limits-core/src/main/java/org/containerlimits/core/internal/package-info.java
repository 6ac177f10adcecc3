/**
 * Parsing helpers the value model and the formats share. Not API: public only so that the
 * sub-packages of {@code org.containerlimits.core} can reach them; they may change in any release.
 */
package org.containerlimits.core.internal;
