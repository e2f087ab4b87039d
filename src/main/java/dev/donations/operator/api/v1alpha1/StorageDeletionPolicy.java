package dev.donations.operator.api.v1alpha1;

/** What happens to a campaign's EFS file system when the campaign is deleted. */
public enum StorageDeletionPolicy {
  /** Keep the file system and its data. */
  Retain,
  /** Delete the access point, the mount targets and the file system. */
  Delete
}
