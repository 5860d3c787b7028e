// Messaging: single emails and custom notifications leave the org when their transaction commits
// (LocalOrg.sentEmails, LocalOrg.sentNotifications), never from a rolled-back transaction or an
// Apex test; the platform's checks of recipients, bodies and targets; deliverability; limits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalOrg } from "../src/index.js";
import { writeApp } from "./flow-support.js";

const NOTIFICATION_TYPE =
  "<customNotifTypeName>Deal Failed</customNotifTypeName><desktop>true</desktop><masterLabel>Deal Failed</masterLabel><mobile>true</mobile>";

function org(options: { deliverability?: "all" | "systemOnly" | "none"; classes?: Record<string, string> } = {}) {
  return LocalOrg.load({
    sourceDirs: [writeApp({ notificationTypes: { Deal_Failed: NOTIFICATION_TYPE }, classes: options.classes })],
    cache: false,
    emailDeliverability: options.deliverability
  });
}

const EMAIL = `Messaging.SingleEmailMessage mail = new Messaging.SingleEmailMessage();
    mail.setTargetObjectId(UserInfo.getUserId());
    mail.setSaveAsActivity(false);
    mail.setSubject('Deals failed');
    mail.setPlainTextBody('Acme - Pro: PlanNotFound');`;

test("an email leaves the org when its transaction commits, never when it rolls back", () => {
  const o = org();
  const sent = o.runAnonymous(
    `${EMAIL}
     List<Messaging.SendEmailResult> results = Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail });
     System.debug(results[0].isSuccess() + ' ' + Limits.getEmailInvocations() + '/' + Limits.getLimitEmailInvocations());`
  );
  assert.deepEqual(sent.debugLog, ["true 1/10"]);
  const rolledBack = o.runAnonymous(
    `${EMAIL}
     Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail });
     throw new IllegalArgumentException('the transaction fails');`
  );
  assert.equal(rolledBack.success, false);
  const emails = o.sentEmails();
  assert.equal(emails.length, 1);
  const [email] = emails;
  assert.equal(email.targetObjectId, "005000000000001AAA");
  assert.equal(email.subject, "Deals failed");
  assert.equal(email.plainTextBody, "Acme - Pro: PlanNotFound");
  assert.equal(email.saveAsActivity, false);
  assert.ok(!Number.isNaN(Date.parse(email.sentAt)));
});

test("the platform's checks: a recipient, a body, no activity for a user; all or nothing, or each alone", () => {
  const o = org();
  const lines = o.runAnonymous(
    `Messaging.SingleEmailMessage toUser = new Messaging.SingleEmailMessage();
     toUser.setTargetObjectId(UserInfo.getUserId());
     toUser.setPlainTextBody('body');
     Messaging.SingleEmailMessage unaddressed = new Messaging.SingleEmailMessage();
     unaddressed.setPlainTextBody('body');
     Messaging.SingleEmailMessage bodyless = new Messaging.SingleEmailMessage();
     bodyless.setToAddresses(new List<String>{ 'ops@acme.example' });
     Messaging.SingleEmailMessage fine = new Messaging.SingleEmailMessage();
     fine.setToAddresses(new List<String>{ 'ops@acme.example' });
     fine.setSubject('ok');
     fine.setPlainTextBody('ok');
     try { Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ fine, toUser }); }
     catch (EmailException e) { System.debug(e.getMessage()); }
     for (Messaging.SendEmailResult r : Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ unaddressed, bodyless, fine }, false)) {
         System.debug(r.isSuccess() + (r.isSuccess() ? '' : ' ' + r.getErrors()[0].getStatusCode() + ' ' + r.getErrors()[0].getMessage()));
     }`
  ).debugLog;
  assert.deepEqual(lines, [
    "SendEmail failed. First exception on row 1; first error: INVALID_SAVE_AS_ACTIVITY_FLAG, saveAsActivity must be false when sending mail to users.",
    "false REQUIRED_FIELD_MISSING Add a recipient to send an email.",
    "false REQUIRED_FIELD_MISSING Missing body, need at least one of html or plainText body",
    "true"
  ]);
  assert.deepEqual(
    o.sentEmails().map((email) => [email.toAddresses, email.subject]),
    [[["ops@acme.example"], "ok"]],
    "only the email that passed its checks, once"
  );
});

test("with deliverability set to system email only, Apex cannot send a single email", () => {
  const o = org({ deliverability: "systemOnly" });
  const result = o.runAnonymous(`${EMAIL} Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail }, false);`);
  assert.equal(
    result.exceptionMessage,
    "System.EmailException: SendEmail failed. First exception on row 0; first error: NO_MASS_MAIL_PERMISSION, Single email is not enabled for your organization or profile."
  );
});

test("ten sendEmail calls per transaction at most", () => {
  const o = org();
  const result = o.runAnonymous(
    `${EMAIL} for (Integer i = 0; i < 11; i++) Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail });`
  );
  assert.equal(result.exceptionMessage, "System.LimitException: Too many Email Invocations: 11");
  assert.deepEqual(o.sentEmails(), []);
});

test("a custom notification of a packaged type is sent to its recipients with its target", () => {
  const o = org();
  const result = o.runAnonymous(
    `CustomNotificationType type = [SELECT Id, DeveloperName, CustomNotifTypeName FROM CustomNotificationType WHERE DeveloperName = 'Deal_Failed'];
     System.debug(type.CustomNotifTypeName);
     Messaging.CustomNotification notification = new Messaging.CustomNotification();
     notification.setNotificationTypeId(type.Id);
     notification.setTitle('2 deals failed');
     notification.setBody('Acme - Pro, Globex - Basic');
     notification.setTargetPageRef('{"type":"standard__navItemPage","attributes":{"apiName":"Stigg_Configuration"}}');
     notification.send(new Set<String>{ UserInfo.getUserId() });`
  );
  assert.deepEqual(result.debugLog, ["Deal Failed"]);
  const [sent] = o.sentNotifications();
  assert.equal(sent.title, "2 deals failed");
  assert.equal(sent.body, "Acme - Pro, Globex - Basic");
  assert.equal(sent.targetId, null);
  assert.match(sent.targetPageRef ?? "", /standard__navItemPage/);
  assert.deepEqual(sent.recipients, ["005000000000001AAA"]);
  assert.match(sent.notificationTypeId, /^0ML/);
});

test("a custom notification needs a type, a title, a body, a target and recipients", () => {
  const o = org();
  const lines = o.runAnonymous(
    `Id typeId = [SELECT Id FROM CustomNotificationType LIMIT 1].Id;
     Messaging.CustomNotification n = new Messaging.CustomNotification();
     n.setNotificationTypeId(typeId);
     n.setTitle('t');
     n.setBody('b');
     try { n.send(new Set<String>{ UserInfo.getUserId() }); } catch (InvalidParameterValueException e) { System.debug(e.getMessage()); }
     n.setTargetId(UserInfo.getUserId());
     try { n.send(new Set<String>()); } catch (InvalidParameterValueException e) { System.debug(e.getMessage()); }`
  ).debugLog;
  assert.deepEqual(lines, [
    "The custom notification needs a target (setTargetId or setTargetPageRef).",
    "A custom notification goes to 1 to 500 recipients, not 0."
  ]);
  assert.deepEqual(o.sentNotifications(), []);
});

test("an Apex test sends nothing, but counts its email invocations", () => {
  const o = org({
    classes: {
      MailTest: `@IsTest private class MailTest {
          @IsTest static void sends() {
              ${EMAIL}
              Messaging.sendEmail(new List<Messaging.SingleEmailMessage>{ mail });
              Assert.areEqual(1, Limits.getEmailInvocations(), 'counted');
          }
      }`
    }
  });
  const result = o.runTests(["MailTest"]);
  assert.equal(result.failed, 0, JSON.stringify(result.tests));
  assert.deepEqual(o.sentEmails(), []);
});
