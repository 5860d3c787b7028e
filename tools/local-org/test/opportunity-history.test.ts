// The records the platform keeps about opportunities: OpportunityStage (the stages, which are won)
// and OpportunityHistory (a row per save that changes the stage, amount, probability or close
// date); and Test.setCreatedDate.
import { test } from "node:test";
import assert from "node:assert/strict";
import { debug, org } from "./support.js";

test("OpportunityStage lists the standard stages and which are closed and won", () => {
  const lines = debug(
    `for (OpportunityStage stage : [SELECT ApiName, IsClosed, IsWon FROM OpportunityStage WHERE IsClosed = true ORDER BY SortOrder])
       System.debug(stage.ApiName + ' ' + stage.IsWon);
     System.debug([SELECT COUNT() FROM OpportunityStage WHERE IsActive = true]);`
  );
  assert.deepEqual(lines, ["Closed Won true", "Closed Lost false", "10"]);
});

test("OpportunityHistory gets a row when an opportunity is created and when its stage, amount or close date changes", () => {
  const lines = debug(
    `Opportunity o = new Opportunity(Name = 'Acme', StageName = 'Prospecting', CloseDate = Date.newInstance(2030, 1, 31), Amount = 100);
     insert o;
     update new Opportunity(Id = o.Id, Description = 'not tracked');
     update new Opportunity(Id = o.Id, StageName = 'Closed Won');
     update new Opportunity(Id = o.Id, Amount = 250);
     for (OpportunityHistory h : [SELECT StageName, Amount, CloseDate, CreatedById FROM OpportunityHistory WHERE OpportunityId = :o.Id ORDER BY CreatedDate, Id])
       System.debug(h.StageName + ' ' + h.Amount + ' ' + h.CloseDate + ' ' + (h.CreatedById == UserInfo.getUserId()));
     System.debug([SELECT COUNT() FROM OpportunityHistory]);
     try { insert new OpportunityHistory(); } catch (TypeException e) { System.debug(e.getMessage()); }`
  );
  assert.deepEqual(lines, [
    "Prospecting 100.00 2030-01-31 00:00:00 true",
    "Closed Won 100.00 2030-01-31 00:00:00 true",
    "Closed Won 250.00 2030-01-31 00:00:00 true",
    "3",
    "DML operation Insert not allowed on OpportunityHistory"
  ]);
});

test("Test.setCreatedDate sets a test record's CreatedDate", () => {
  const o = org({
    DatedTest: `@IsTest private class DatedTest {
        @IsTest static void backdates() {
            Account a = new Account(Name = 'Old');
            insert a;
            Datetime then = Datetime.newInstanceGmt(2020, 5, 1, 8, 0, 0);
            Test.setCreatedDate(a.Id, then);
            Assert.areEqual(then, [SELECT CreatedDate FROM Account WHERE Id = :a.Id].CreatedDate, 'backdated');
            Assert.areEqual(1, [SELECT COUNT() FROM Account WHERE CreatedDate < :Datetime.newInstanceGmt(2021, 1, 1)], 'found by it');
        }
    }`
  });
  const result = o.runTests(["DatedTest"]);
  assert.equal(result.failed, 0, JSON.stringify(result.tests));
});
