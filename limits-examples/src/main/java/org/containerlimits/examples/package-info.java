/**
 * Runnable programs that walk through the notebook-spawner scenario of the origin document.
 */
package org.containerlimits.examples;
