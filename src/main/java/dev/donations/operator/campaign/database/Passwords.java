package dev.donations.operator.campaign.database;

import java.security.SecureRandom;

/** Random secrets for generated credentials. RDS refuses '/', '"', '@' and spaces in passwords. */
public final class Passwords {

  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.~!#%^*+=";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  /** A 32-character password, about 195 bits. */
  public static String generate() {
    return generate(32);
  }

  public static String generate(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }
}
