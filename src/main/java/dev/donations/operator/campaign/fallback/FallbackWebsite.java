package dev.donations.operator.campaign.fallback;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** Public URL of a bucket's static website. */
public final class FallbackWebsite {

  /** Regions whose website endpoint is "s3-website-REGION" rather than "s3-website.REGION". */
  private static final Set<String> DASH_REGIONS =
      Set.of(
          "us-east-1",
          "us-west-1",
          "us-west-2",
          "eu-west-1",
          "ap-southeast-1",
          "ap-southeast-2",
          "ap-northeast-1",
          "sa-east-1",
          "us-gov-west-1");

  private FallbackWebsite() {}

  public static String url(String bucket, String region, Optional<URI> endpointOverride) {
    if (endpointOverride.isPresent()) {
      String base = endpointOverride.get().toString().replaceAll("/+$", "");
      return base + "/" + bucket + "/" + FallbackPageConfigMap.PAGE_KEY;
    }
    return "http://" + endpoint(bucket, region) + "/";
  }

  /** Host name of a bucket's website endpoint, as CloudFront and Route 53 point at it. */
  public static String endpoint(String bucket, String region) {
    return bucket + "." + regionalEndpoint(region);
  }

  /**
   * The region's website endpoint without a bucket: what a Route 53 alias to a bucket named after
   * the host targets.
   */
  public static String regionalEndpoint(String region) {
    String separator = DASH_REGIONS.contains(region) ? "-" : ".";
    return "s3-website" + separator + region + ".amazonaws.com";
  }
}
