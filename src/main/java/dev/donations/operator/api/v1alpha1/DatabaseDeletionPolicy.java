package dev.donations.operator.api.v1alpha1;

/** What happens to a campaign's database when the campaign is deleted. */
public enum DatabaseDeletionPolicy {
  /** Delete the instance after a final snapshot, and wait for the snapshot. */
  Snapshot,
  /** Keep the instance (with deletion protection on). */
  Retain,
  /** Delete the instance without a snapshot; only where the class allows it. */
  Delete
}
