/**
 * What a container's limits should be, from what it used: a {@link
 * org.containerlimits.core.recommend.UsageHistory} of its readings kept in decaying histograms, and
 * the {@link org.containerlimits.core.recommend.Recommender}, VPA's recommender for plain Docker,
 * that sees when a container's CPU usage only shows the limit that throttles it. Pure, no I/O.
 */
package org.containerlimits.core.recommend;
