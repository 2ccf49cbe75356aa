package com.cabalmail.aws.testkit;

/**
 * dynalite's DynamoDB for one test class, a fresh table per test: a JUnit extension over one
 * {@link DynaliteServer} started before the class's tests and stopped after them
 * ({@code @RegisterExtension static final DynaliteTables DYNALITE = new DynaliteTables();}).
 * dynalite locks each item around a conditional write, so it is the peer for every test that
 * proves "exactly one concurrent claim wins"; it returns no old item on a failed condition and
 * has no TTL (tables are created all the same).
 */
public final class DynaliteTables extends DynamoDbTables {

  @Override
  protected Peer start() throws Exception {
    return DynaliteServer.start();
  }
}
