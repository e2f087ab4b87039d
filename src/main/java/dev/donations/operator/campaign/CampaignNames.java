package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Every name the operator gives to a campaign's objects, in Kubernetes and AWS. Names are pure
 * functions of the campaign's namespace, name and UID, so a restarted operator finds what it
 * created before and never creates a duplicate. The UID part keeps a retained database of a deleted
 * campaign from being adopted by a new campaign of the same name.
 */
public final class CampaignNames {

  private static final int RDS_IDENTIFIER_MAX = 63;
  private static final int BUCKET_MAX = 63;
  private static final int FAILOVER_MAX = 60;

  private CampaignNames() {}

  public static String site(CharityCampaign c) {
    return c.getMetadata().getName() + "-site";
  }

  public static String fallback(CharityCampaign c) {
    return c.getMetadata().getName() + "-fallback";
  }

  public static String ingress(CharityCampaign c) {
    return c.getMetadata().getName();
  }

  public static String databaseSecret(CharityCampaign c) {
    return c.getMetadata().getName() + "-db";
  }

  public static String saltsSecret(CharityCampaign c) {
    return c.getMetadata().getName() + "-wp-salts";
  }

  public static String adminSecret(CharityCampaign c) {
    return c.getMetadata().getName() + "-wp-admin";
  }

  public static String siteConfig(CharityCampaign c) {
    return c.getMetadata().getName() + "-site-config";
  }

  public static String headroom(CharityCampaign c) {
    return c.getMetadata().getName() + "-headroom";
  }

  public static String uploadsClaim(CharityCampaign c) {
    return c.getMetadata().getName() + "-uploads";
  }

  /** PersistentVolumes are cluster-scoped, so the name carries the namespace and the UID. */
  public static String uploadsVolume(CharityCampaign c) {
    return "donation-"
        + shortHash(
            c.getMetadata().getNamespace() + "/" + c.getMetadata().getName() + "/" + uid(c), 16);
  }

  /**
   * RDS DB instance identifier: letters, digits and single hyphens, starting with a letter, at most
   * 63.
   */
  public static String databaseIdentifier(CharityCampaign c) {
    String suffix = "-" + shortHash(uid(c), 8);
    String base =
        sanitize("dc-" + c.getMetadata().getNamespace() + "-" + c.getMetadata().getName());
    return trimHyphens(
            base.substring(0, Math.min(base.length(), RDS_IDENTIFIER_MAX - suffix.length())))
        + suffix;
  }

  /** The campaign's own DB parameter group, named after its instance. */
  public static String parameterGroup(CharityCampaign c) {
    return databaseIdentifier(c) + "-params";
  }

  public static String finalSnapshot(CharityCampaign c) {
    return databaseIdentifier(c) + "-final";
  }

  /**
   * The Secret holding the credentials of a retained instance or a final snapshot, named after it.
   */
  public static String keptCredentials(String instanceOrSnapshot) {
    return instanceOrSnapshot + "-credentials";
  }

  /**
   * EFS CreationToken (at most 64 characters): the same token always returns the same file system.
   */
  public static String fileSystemToken(CharityCampaign c) {
    return "donation-" + uid(c);
  }

  /** EFS ClientToken of the access point, likewise idempotent. */
  public static String accessPointToken(CharityCampaign c) {
    return "donation-ap-" + uid(c);
  }

  /** S3 bucket: globally unique, so the class prefix plus a hash of the campaign's UID. */
  public static String fallbackBucket(CharityCampaign c, String prefix) {
    String name = prefix + "-" + shortHash(uid(c), 16);
    return name.length() > BUCKET_MAX ? name.substring(0, BUCKET_MAX) : name;
  }

  /**
   * Names the campaign's failover resources: the CloudFront distribution's CallerReference and
   * Comment and the base of the Route 53 health check's CallerReference (at most 60 characters, so
   * a generation suffix fits Route 53's 64), so a restarted operator finds them again. The UID hash
   * keeps a new campaign of the same name from adopting them.
   */
  public static String failover(CharityCampaign c) {
    String suffix = "-" + shortHash(uid(c), 8);
    String base =
        sanitize(
            "donation-failover-"
                + c.getMetadata().getNamespace()
                + "-"
                + c.getMetadata().getName());
    return trimHyphens(base.substring(0, Math.min(base.length(), FAILOVER_MAX - suffix.length())))
        + suffix;
  }

  /**
   * CallerReference of the campaign's n-th Route 53 health check. Route 53 never takes a
   * CallerReference of a deleted health check again, so a replaced or re-created one takes the next
   * n.
   */
  public static String healthCheckReference(CharityCampaign c, int n) {
    return failover(c) + "-" + n;
  }

  /** Per-campaign directory on the file system, the root of the campaign's access point. */
  public static String uploadsDirectory(CharityCampaign c) {
    return "/campaigns/" + c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }

  private static String uid(CharityCampaign c) {
    String uid = c.getMetadata().getUid();
    if (uid == null || uid.isBlank()) {
      throw new IllegalStateException("campaign " + c.getMetadata().getName() + " has no UID yet");
    }
    return uid;
  }

  private static String sanitize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-{2,}", "-");
  }

  private static String trimHyphens(String s) {
    return s.replaceAll("^-+|-+$", "");
  }

  public static String shortHash(String value, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
