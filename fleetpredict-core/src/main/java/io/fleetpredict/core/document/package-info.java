/**
 * The JSON documents fleetpredict reads and writes, as validated records, and their codec
 * {@link io.fleetpredict.core.document.Documents}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise; record
 * components documented as "{@code null} when absent" mirror optional JSON fields.
 */
package io.fleetpredict.core.document;
