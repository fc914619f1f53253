// The built-in chat workload: realistic prompts in eight categories, written for this project.
// Plain data: every prompt is {id: '<category>-<slug>', category, messages}. The summarisation
// prompts each carry a long fictional document (600–1 500 words), kept in SUMMARISATION_DOCUMENTS
// so tests can check their length.
import type { ChatMessage } from '../engines/engine.ts';

export const BUILTIN_CATEGORIES = [
  'support',
  'code-review',
  'creative-writing',
  'technical-explanation',
  'business-analysis',
  'summarisation',
  'short-factual',
  'reasoning',
] as const;
export type BuiltinCategory = (typeof BUILTIN_CATEGORIES)[number];

/** A prompt of a workload; `category` is a built-in category, or e.g. 'synthetic'. */
export interface WorkloadPrompt {
  id: string;
  category: string;
  messages: ChatMessage[];
}

export interface BuiltinPrompt extends WorkloadPrompt {
  category: BuiltinCategory;
}

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
const system = (instructions: string, content: string): ChatMessage[] => [
  { role: 'system', content: instructions },
  { role: 'user', content },
];

// ---------------------------------------------------------------- summarisation documents

const INCIDENT_REPORT = `Incident report INC-2291: checkout failures at Ledgerline Payments
Status: resolved. Severity: SEV-1. Author: platform reliability team. Review date: the Thursday after the incident.

Summary
Between 14:02 and 15:19 UTC on Tuesday, roughly 38 percent of card payments submitted through the Ledgerline checkout API failed with HTTP 503 responses. A further 6 percent succeeded but took longer than ten seconds, which caused several merchant integrations to time out and retry, producing 412 duplicate authorisation holds on customer cards. No payment was captured twice and no card data was exposed. The direct cause was exhaustion of the database connection pool in the authorisation service, triggered by a configuration change that reduced the pool size while a slow query was already holding connections open.

Timeline (all times UTC)
13:40 A configuration change was merged to reduce the authorisation service's database pool from 80 to 40 connections per instance. The change was part of a cost project to shrink the primary database, and it had been reviewed and approved the previous week.
13:52 The change reached production through the normal rolling deployment. Dashboards showed no error increase at this point because traffic was below the afternoon peak.
14:02 The first 503 responses appeared. Traffic was rising as European merchants entered their evening peak. The p99 latency of the authorisation endpoint rose from 420 milliseconds to 9.8 seconds within four minutes.
14:06 The on-call engineer was paged by the checkout error-rate alert. She acknowledged within two minutes and opened an incident channel.
14:15 Initial investigation focused on the card network gateway, because an unrelated gateway maintenance notice had been posted that morning. This was a false lead and cost about twenty minutes.
14:21 The database team noticed a reporting query from the merchant analytics job running against the primary instead of the read replica. Each run held a connection for about ninety seconds.
14:37 The analytics job was paused. Error rates fell from 38 percent to 22 percent but did not recover fully.
14:44 An engineer compared the current and previous deployments and spotted the pool-size change. A rollback was started.
14:58 The rollback finished on all instances. Error rates fell below 1 percent.
15:19 Merchant retry traffic drained and latency returned to normal. The incident was declared resolved.
16:30 Support began contacting the 57 merchants whose customers saw duplicate authorisation holds.

Root cause
Two conditions combined. First, the merchant analytics job had been pointed at the primary database three weeks earlier during a replica migration, and nobody switched it back. Its reporting query is slow by design and held several connections on each instance for long periods. Second, the pool reduction halved the headroom the authorisation service had. Under the old pool size, the analytics job used about a tenth of the available connections and went unnoticed. Under the new size, during peak traffic, request threads waited for connections, requests queued behind them, and the load balancer marked instances unhealthy, which moved even more traffic onto the remaining instances.

The change review did not catch the risk because the capacity model used for the cost project was based on average connection usage over the previous month rather than peak usage, and because the analytics job was not visible as a separate client in the connection metrics.

Impact
About 61,000 checkout attempts failed. Most customers retried successfully within the hour, but merchants estimate that around 9,000 purchases were abandoned. The 412 duplicate authorisation holds were released automatically by the issuing banks within three to seven days, but they generated 230 support tickets. Two large merchants invoked the service-level credit clause of their contracts.

What went well
The alert fired within four minutes of the first errors. The incident channel had the right people in it within fifteen minutes. The rollback procedure worked as documented and took fourteen minutes. Communication to merchants through the status page was updated every twenty minutes.

What went poorly
The gateway maintenance notice led the first responders in the wrong direction. The deployment history was not part of the first-response checklist, so the recent configuration change was found late. Connection pool saturation was not on any dashboard; engineers had to query it by hand. The analytics job's access to the primary had no owner and no expiry.

Action items
1. Add connection pool usage and wait time per service to the main dashboard, with an alert when waits exceed 100 milliseconds. Owner: platform reliability. Due in two weeks.
2. Move the merchant analytics job back to the read replica and revoke its credentials on the primary. Owner: data engineering. Due this week.
3. Add "check the last three deployments" as the second step of the first-response checklist. Owner: on-call leads. Due this week.
4. Rework the capacity model for the cost project to use the busiest hour of the busiest day, not monthly averages, and re-review the other three pool reductions planned. Owner: infrastructure finance working group. Due in one month.
5. Make merchant-facing retries idempotent by requiring an idempotency key on the authorisation endpoint, so that retries cannot produce duplicate holds. Owner: payments API team. Due next quarter.
6. Label every database client with a service name so that connection metrics show who holds what. Owner: database team. Due in one month.`;

const MEETING_TRANSCRIPT = `Transcript: Fieldnote mobile app, release planning for version 4.2
Attendees: Priya (product manager, chairing), Tomasz (iOS lead), Ama (Android lead), Diego (backend), Hannah (design), Wen (quality assurance). Notes taken by Hannah.

Priya: Thanks for joining. We have forty minutes and three things to settle: whether offline sync makes it into 4.2, what we do about the crash on older Android phones, and the release date. Let's start with sync, since everything else depends on it. Diego, where is the backend?

Diego: The conflict resolution endpoint is done and deployed to staging. It handles the common case, two devices editing different notes, without any trouble. What it does not handle well yet is two devices editing the same paragraph of the same note while both are offline. Right now the last write wins, and the other edit is kept as a separate copy called "conflicted version". It works, but it is not pretty.

Tomasz: On iOS the client side is about ninety percent there. The remaining work is the progress indicator and the retry logic when the connection drops halfway through a sync. I would estimate four more working days, and then it needs proper testing on slow networks.

Ama: Android is behind. We lost a week to the crash I will talk about in a minute, so I would say seven or eight days for sync, and I would not want to promise that.

Priya: Hannah, from a design point of view, is the "conflicted version" approach acceptable for a first release?

Hannah: It is acceptable if we explain it. In the user tests last month, people were fine with a duplicate note as long as the app told them why it appeared. What confused them was finding a copy with no explanation. I have a design for a small banner on the duplicate that says the note was edited on two devices and offers to compare them. The compare screen can come later.

Wen: From the testing side, I need at least a full week with both platforms feature-complete. Sync bugs are the kind that lose people's data, and I do not want to rush that. We should also run the airplane-mode test matrix on at least six device types.

Priya: Understood. Let's park sync for a second and talk about the crash. Ama?

Ama: Since 4.1.3, the app crashes on launch for about two percent of Android users. Almost all of them are on Android 9 or 10 with less than three gigabytes of memory. The cause is the new image cache: it allocates a large buffer at start-up, and on those phones the system kills the app. The fix is small, we allocate the buffer lazily and cap it based on available memory, but it touches start-up code, so I want it tested carefully.

Priya: Two percent is a lot of people. How many is that in absolute terms?

Ama: Roughly eleven thousand daily users. And our store rating on Android has dropped from 4.6 to 4.3 in three weeks, mostly one-star reviews that say "crashes on open".

Diego: Could we ship the crash fix on its own, as 4.1.4, without waiting for 4.2?

Ama: Yes. It is independent of sync. I could have it ready for testing tomorrow.

Wen: A point release with one start-up fix is easy to test. Two days, including the low-memory devices we have in the lab.

Priya: Then let's do that. Crash fix goes out as 4.1.4 as soon as Wen signs it off. Now the date for 4.2. Marketing asked for the fourteenth of next month because of the partnership announcement with the university. Is that realistic with sync included?

Tomasz: For iOS, yes, if nothing surprising happens.

Ama: For Android, it is tight. Seven or eight days of development, plus Wen's week, plus store review. It would leave no margin at all.

Wen: And I would be testing sync on both platforms at the same time as the 4.1.4 regression checks. I can do it, but something will get less attention.

Hannah: What if 4.2 ships on the fourteenth with sync behind a feature flag, turned on for a small group first? The partnership announcement is about shared notebooks for students, not about offline sync.

Priya: That is a good point. Diego, is sync flaggable on the server?

Diego: Yes, per account. We could enable it for staff first, then five percent of users, then everyone.

Priya: Then here is my proposal. 4.1.4 with the crash fix ships this week. 4.2 ships on the fourteenth with shared notebooks and with offline sync included but switched off. We turn sync on for staff the week after release and widen it over two weeks if the error rate stays low. Hannah's banner ships with it, and the compare screen moves to 4.3. Any objections?

Tomasz: No objection. I would like the staff rollout to include people with both an iPhone and an Android phone, since that is where the conflicts happen.

Wen: Agreed, as long as sync does not get switched on for everyone before the airplane-mode matrix passes on all six device types.

Ama: Fine with me. It takes the pressure off.

Priya: Good. Actions: Ama prepares the crash fix for testing by tomorrow. Wen tests and signs off 4.1.4 by Friday. Diego adds the per-account sync flag and a dashboard for sync errors. Tomasz and Ama finish sync behind the flag. Hannah hands over the banner designs today. I will tell marketing the date holds but that offline sync will not be part of the announcement. We meet again next Wednesday.`;

const PRODUCT_SPEC = `Product specification: shared shopping lists in Pantrybook
Version 0.9, draft for review. Owner: the groceries squad.

1. Background
Pantrybook is a meal-planning app with about 1.2 million monthly active users. Today, each account has one private shopping list that is filled from the week's meal plan and from items added by hand. In the last two surveys, the most requested feature was the ability to share a list with other people in the household. Support receives around three hundred messages a month asking how to do this, and many users work around the gap by taking screenshots of their list and sending them to a partner, which breaks as soon as anyone changes the list.

2. Goals
Let a household keep one shopping list that several people can see and edit from their own phones. Make changes appear on every device within a few seconds while online. Keep the list usable in a shop with poor reception. Keep the existing single-person experience unchanged for people who never share.

3. Non-goals
This release will not share meal plans, recipes or pantry inventory; only the shopping list. It will not support lists shared between households, such as a list for a holiday with friends. It will not add roles or permissions beyond owner and member. It will not add chat or comments on items.

4. Users and scenarios
Scenario A: Maya plans the week's meals on Sunday. She shares the resulting list with her partner, Joe, who passes a supermarket on his way home on Monday. Joe ticks items off as he shops, and when Maya opens the app later, she sees what is left to buy.
Scenario B: A family of four shares one list. The teenagers add snacks to it during the week. The parents want to see who added what, so they can remove items that were not agreed.
Scenario C: Two flatmates share a list but each also keeps a private list for their own food. They want to switch between the two lists easily.

5. Requirements
5.1 Sharing. The owner of a list can invite people by link or by email. An invitation link expires after seven days and can be revoked. An invited person needs a Pantrybook account to join; if they do not have one, the link leads them through sign-up and then straight into the list. A list can have at most twelve members.
5.2 Editing. Every member can add, edit, tick and delete items. Each item shows the first name of the person who added it. Ticked items move to a "bought" section and are cleared automatically after twenty-four hours, as they are today.
5.3 Real-time updates. When online, a change made on one device appears on the other members' devices within three seconds in ninety-five percent of cases.
5.4 Offline use. A member can open, tick and add items with no connection. Changes are stored on the device and sent when a connection returns. If two members change the same item while one of them is offline, the most recent change wins, except that a tick is never undone by an older edit: if Joe ticks milk in the shop while offline and Maya later renames it to "oat milk" from home, the item stays ticked and takes the new name.
5.5 Meal-plan integration. When the owner adds a week's meal plan to a shared list, the ingredients are merged with items already on the list, as they are today for private lists. Members who are not the owner can also add their own meal plans to the shared list.
5.6 Leaving and removing. A member can leave a list at any time. The owner can remove a member. The owner can transfer ownership to another member; if the owner deletes their account, ownership passes to the member who joined earliest.
5.7 Multiple lists. Every account keeps its private list. A person can belong to at most five shared lists. A list switcher at the top of the shopping screen shows the list name and the number of members.
5.8 Notifications. Members can opt in to a daily summary notification of items added by others. There are no notifications for individual changes in this release, to avoid noise.

6. Privacy
Members see each other's first names and profile pictures only. Email addresses are visible only to the owner, and only for pending invitations. Leaving a list removes the person's name from items they added; those items show "former member". All list data follows the existing retention policy.

7. Metrics
Primary: the share of weekly active users who belong to a shared list, with a target of fifteen percent three months after launch. Secondary: items ticked per shopping trip, support tickets about sharing, and the seven-day retention of users who joined through an invitation link. Guardrail: the crash-free session rate must not drop below 99.5 percent.

8. Open questions
Should members be able to rename a shared list, or only the owner? Do we need a history view showing deleted items, or is the "added by" label enough for scenario B? What should happen to an offline member's changes if they were removed from the list while offline? Legal needs to confirm whether invitation emails to people without an account require a separate consent step in some countries.

9. Rollout
The feature ships behind a flag. Staff use it for two weeks, then it goes to ten percent of users in two countries, then to everyone if the guardrail metric holds and sync error rates stay below 0.1 percent of operations.`;

const RESEARCH_REPORT = `User research summary: how people manage shared household money
Study: twelve remote interviews and a two-week diary study with eight of the same participants. Prepared for the Tallywise product team by the research group.

Why we ran this study
Tallywise is a budgeting app used mostly by individuals. Our roadmap includes features for couples and households, but we had little evidence about how people actually share money day to day. We wanted to learn what households do today, where it goes wrong, and which problems people would pay to solve.

Who took part
We spoke to twelve households: five couples living together without children, four couples with children, two groups of adult flatmates and one parent with an adult child living at home. Ages ranged from 23 to 61. Seven participants already used a budgeting app, three used a spreadsheet and two used nothing beyond their banking app. We recruited through a panel and screened out anyone working in finance or software.

What we found

1. Almost nobody pools everything. Only two of the twelve households put all their income into one joint account. The most common arrangement, in seven households, was a joint account for shared bills fed by fixed monthly transfers, with everything else kept separate. Participants described this as a way to keep independence without arguing about every purchase. One participant said, "We share the rent and the food. My hobbies are my business."

2. The hard part is the stuff in between. Rent and utilities are easy because they are regular and agreed. The trouble comes from irregular shared costs: a birthday present for a relative, a repair, a weekend away, a large supermarket shop paid on a personal card. Participants kept track of these in messaging apps, on paper or in their heads, and several admitted that small debts were often forgotten, which one person called "a slow leak of resentment".

3. Fairness means different things. Some couples split everything equally. Others split in proportion to income, and one household split by usage, so the person who worked from home paid more of the electricity. People were rarely sure whether their split was still fair after a change in income, and three households mentioned an argument that started when one partner's salary changed.

4. Transparency is wanted, but not total transparency. Most participants wanted to see shared spending together, and nearly all wanted to keep at least some personal spending private. Two participants said they would refuse to use any tool that showed their partner every transaction. Several liked the idea of seeing a category total, for example "eating out: 140", without the individual purchases.

5. Settling up is awkward. Asking a partner or flatmate for money was described as uncomfortable, even between people who had lived together for years. Flatmates in particular avoided it until amounts became large. In the diary study, six of eight participants recorded at least one moment when they paid for something shared and decided not to ask for the money back.

6. Existing tools are trusted for individual budgets but not for shared ones. Participants who used budgeting apps had not tried their sharing features, or had tried and given up because setting them up required both people to connect all their bank accounts. The spreadsheet users liked the control but said the sheets were out of date within weeks.

What this means for Tallywise
Opportunity one: a shared space that holds only what people choose to share. Let people link one joint account and tag individual transactions from personal accounts as shared, instead of asking for full access to everything.
Opportunity two: a running balance of who owes whom for irregular shared costs, with gentle, neutral reminders, so that nobody has to ask.
Opportunity three: a fairness helper that shows what an equal split and an income-based split would look like this month, and flags when incomes change.

Risks
People may worry that a shared space will reveal more than they intended, so privacy controls must be obvious and the default must be private. The settling-up feature could feel like an invoice from a partner, which participants found unpleasant; tone will matter. Finally, several features depend on bank connections that work differently in each market.

Recommended next steps
Test concepts for opportunities one and two with six new households, using clickable prototypes. Measure whether participants can tell what their partner will and will not see. Hold the fairness helper until we understand how to present income information without causing tension.`;

const BOARD_MEMO = `Memo to the board of Crumb and Crust Bakeries
From: the chief executive and the finance director
Subject: results for the third quarter and the proposal to open two new shops

Trading summary
Revenue for the quarter was 4.1 million, up 9 percent on the same quarter last year. Like-for-like sales in the eleven shops open for more than a year grew 4 percent; the rest of the growth came from the Riverside shop, which opened in March and is now trading above its plan. Wholesale revenue from supplying cafés and two hotel groups grew 21 percent and is now 18 percent of the total.

Gross margin fell from 64 percent to 61 percent. Flour prices rose 14 percent over the year and butter 19 percent. We raised shop prices by an average of 5 percent in July, which recovered about half of the increase; we chose not to raise more because footfall data from the summer suggested customers were already buying fewer items per visit. Wholesale contracts are repriced once a year, so the cost increases hit that business fully until the January renewals.

Labour costs rose 7 percent, mostly because of the national minimum wage increase and overtime in the central bakery, where the second oven line was out of service for three weeks in August. The oven has been repaired, and we have signed a maintenance contract that includes a replacement part kept on site.

Operating profit was 290,000, against 330,000 in the same quarter last year and a plan of 310,000. Cash at the end of the quarter was 1.3 million, and we have drawn nothing on the revolving credit facility.

Shops
Nine shops traded at or above plan. Two did not. The Market Street shop continues to suffer from road works outside its door, which the council now expects to finish in November; sales there are down 16 percent. The Station Road shop lost sales after a new coffee chain opened opposite; we responded with a breakfast offer that has lifted morning sales, but the shop is still 8 percent behind last year. We do not propose any change to either shop this quarter but will review Station Road again at the next meeting.

Customer feedback scores improved from 4.4 to 4.6, helped by the new loyalty app, which now has 22,000 members. Members visit on average 2.3 times a month, against an estimated 1.4 for other customers, although some of that difference reflects who chooses to join.

Proposal: two new shops
We ask the board to approve the opening of two shops in the next financial year, one in the university quarter and one in the new Harbour development. Each would cost about 380,000 to fit out, including equipment. Based on Riverside and on the sales of the three most similar existing shops, we expect each to reach annual sales of 750,000 to 900,000 in its second year, with a shop-level margin of about 18 percent, which would repay the investment in around three years.

The university quarter site has strong footfall during term but weak sales in the summer months, so we have assumed twenty percent lower sales for ten weeks of the year. The Harbour site depends on how quickly the new offices fill; the developer reports 60 percent of the space let, and we have a rent-free period of nine months that protects us if occupancy lags.

Both shops would be supplied from the central bakery, which has enough capacity now that the second oven line is back in service. We would need to recruit about sixteen people, and we plan to promote two experienced supervisors to manage the new shops.

Risks
Ingredient prices may keep rising. Our plan assumes a further 4 percent increase next year; each additional point of cost inflation reduces annual profit by about 45,000 across the business. Opening two shops at once stretches the operations team, which was stretched this year by the oven failure. A slowdown in consumer spending would affect new shops more than established ones.

Recommendation
We recommend approving both shops, with the Harbour opening scheduled three months after the university quarter, so the operations team can focus on one at a time. We will fund both from cash and keep the credit facility as a reserve. We also recommend approving a review of wholesale pricing, including a clause that adjusts prices when ingredient costs move by more than five percent, to be put to the board at the next meeting.`;

const FIELD_STUDY = `Field study report: wild bees in the city allotments of Northbrook
Prepared by the Northbrook Urban Ecology Volunteers, for the allotment association and the city parks department.

Purpose
Allotment holders in Northbrook have noticed fewer bees on their fruit and vegetables in recent summers, and several asked whether anything could be done. Before recommending changes, the association wanted basic facts: which bees visit the allotments, when, which plants they use, and whether the way plots are managed makes a difference. This report describes a study carried out over one growing season by twenty-four trained volunteers.

Methods
We chose thirty plots across the four allotment sites in the city. Ten were managed with no pesticides and with deliberately left patches of wild flowers, ten were conventional vegetable plots, and ten were somewhere in between. Every two weeks from April to September, a volunteer walked a fixed route through each plot for fifteen minutes on a dry, calm day above 13 degrees and recorded every bee seen on a flower, the plant it was on and, where possible, the species or group. Photographs of uncertain bees were checked by two experienced recorders. We also placed two simple nest blocks, made of drilled wood and hollow stems, on each of twelve plots to see whether solitary bees would use them.

Results
In total, volunteers recorded 4,812 bee visits over 390 walks. Bumblebees made up 46 percent of visits, honeybees 31 percent and solitary bees 23 percent. We identified at least 41 species, including three that had not been recorded in the county before, all small mining bees, which may have been present but overlooked.

Plots with wild flower patches and no pesticides had on average 2.4 times as many bee visits per walk as conventional plots, and nearly twice as many species. The in-between plots sat roughly half way. The difference was largest for solitary bees, which were almost absent from conventional plots in July and August.

Timing mattered. Visits peaked in late May and again in late July. There was a clear gap in the middle of June, when fruit blossom had finished and many summer flowers had not yet opened. During this gap, bees concentrated on a small number of plants: comfrey, chives allowed to flower, bramble at plot edges and phacelia sown as green manure. Plots without any of these had very few visits in June.

The plants with the most visits overall were lavender, comfrey, borage, runner beans, raspberries, marjoram and phacelia. Several popular ornamental plants, including double-flowered varieties of dahlia and begonia, had almost no visits, probably because their extra petals block access to pollen and nectar.

Nest blocks were occupied on nine of the twelve plots, by at least four species of mason and leafcutter bee. Blocks facing south or east were used far more than those facing north. Two blocks placed in deep shade were not used at all.

Growers on the wild flower plots did not report lower yields. In a short survey at the end of the season, they reported slightly better bean and squash harvests than the previous year, although we cannot separate this from differences in weather, soil and skill.

Limitations
This was a single season, and the summer was warmer and drier than average. Counting by walking routes misses bees that are active early in the morning or in poor weather. Volunteers' identification skills varied, and we grouped some bees only to genus. Plots were not assigned to management styles at random: growers chose them, and growers who leave wild flowers may differ in other ways.

Recommendations
1. Encourage each plot holder to leave or sow a small patch of flowering plants, about two square metres, with species chosen to fill the June gap: comfrey, phacelia, chives and marjoram.
2. Ask the parks department to leave bramble and other flowering plants along the boundaries of the allotment sites until the end of July before cutting.
3. Publish a short guide recommending single-flowered varieties over double-flowered ones.
4. Install nest blocks facing south or east on communal structures at each site.
5. Repeat the survey next year with the same routes, so that changes can be measured, and add early-morning walks on a sample of plots.`;

const POLICY_DOCUMENT = `Hybrid working policy, Orchard Lane Software
Applies to: all employees on permanent and fixed-term contracts. Owner: the people team. Review cycle: every twelve months.

1. Why we have this policy
We want people to do their best work and to have a life outside it. We also believe some things go better in person: onboarding, planning, difficult conversations and getting to know colleagues. This policy sets out how we combine the two, so that teams do not have to negotiate the basics from scratch and so that everyone is treated consistently.

2. The basic arrangement
Most roles are hybrid. The expectation is that each person spends at least eight days a month in one of our offices. Teams choose two anchor days a week when most of the team is in, so that office days are spent with colleagues rather than on video calls from a desk. Outside anchor days, people decide where they work, in agreement with their manager.

Some roles need a different pattern. Office support, the hardware lab and facilities staff are office-based. A small number of people were hired as fully remote, and their contracts say so; this policy does not change their arrangements. New fully remote roles are possible only with approval from a director and the people team, usually for specialist skills we cannot find near an office.

3. New starters
For the first six weeks, new starters are expected in the office at least three days a week, and their manager or buddy should be in on the same days. Our experience is that people who spend time with their team early on settle in faster and ask for help sooner.

4. Working from elsewhere
Employees may work from another location in their country of employment as long as they have a reliable connection, a private space for confidential calls and can reach the office for anchor days when needed. Working from another country is limited to twenty working days a year and must be approved in advance by the people team, because of tax, immigration and data protection rules that differ by country. Some countries are excluded entirely; the people team keeps the current list.

5. Home set-up
Each hybrid employee receives a one-off allowance of 400 for home office equipment, and we lend a monitor, keyboard and chair on request. Laptops and phones are provided by the company. Employees are responsible for making sure their home workspace is safe, and should complete the short workstation assessment in the first month. We do not pay for home internet or energy, but people who believe hybrid working causes them financial hardship should talk to the people team, who can help in individual cases.

6. Hours and availability
Core collaboration hours are 10:00 to 15:00 local time, when people should be reachable unless they are on leave, in focused work they have marked in their calendar, or have agreed other hours with their manager. Outside core hours, people can organise their day flexibly. No one is expected to reply to messages outside their working hours, and managers should schedule messages sent late in the evening to arrive the next morning.

7. Meetings
Any meeting with at least one remote participant should be run as a remote meeting: everyone can see the shared material, someone watches the chat, and decisions are written down afterwards. Meetings in meeting rooms should use the room equipment rather than one laptop in the middle of the table.

8. Fairness and performance
Performance is judged on results and on how people work with others, not on how many days they are seen in the office. Managers should watch for proximity bias, such as giving interesting work to the people they see most, and the people team will check promotion and pay data each year for differences between mostly remote and mostly office-based staff.

9. Changes and exceptions
People can ask for a different arrangement for reasons such as caring responsibilities, health or a long commute. Requests go to the manager and are answered in writing within four weeks. Reasonable adjustments for disability are handled separately under the accessibility policy and are not limited by this one. Temporary changes, for example during an office move, will be announced at least a month ahead.

10. If things are not working
If a team's arrangement is causing problems, the manager should first discuss it with the team. If that does not resolve it, either side can involve the people team. Repeatedly ignoring anchor days without agreement is treated like any other conduct issue, starting with an informal conversation.`;

/** The long documents of the summarisation prompts, by prompt id. */
export const SUMMARISATION_DOCUMENTS: Readonly<Record<string, string>> = {
  'summarisation-incident-report': INCIDENT_REPORT,
  'summarisation-meeting-transcript': MEETING_TRANSCRIPT,
  'summarisation-product-spec': PRODUCT_SPEC,
  'summarisation-user-research': RESEARCH_REPORT,
  'summarisation-board-memo': BOARD_MEMO,
  'summarisation-field-study': FIELD_STUDY,
  'summarisation-hybrid-policy': POLICY_DOCUMENT,
};

// ---------------------------------------------------------------- the prompts

const SUPPORT: BuiltinPrompt[] = [
  {
    id: 'support-damaged-lamp',
    category: 'support',
    messages: system(
      'You are a customer support agent for Brightleaf Home, an online homeware shop. Be warm and brief. Policy: damaged items are replaced or refunded within 30 days of delivery, the customer never pays return postage, and refunds reach the card in 3 to 5 working days.',
      'Hi, my ceramic table lamp (order BH-48213) arrived yesterday with a big crack down the base. The box looked fine from the outside. I bought it as a housewarming present for my sister and her party is on Saturday. What can you do?',
    ),
  },
  {
    id: 'support-password-reset-loop',
    category: 'support',
    messages: user(
      "I keep resetting my password for my online banking and every time I log in with the new one it says \"credentials not recognised\" and sends me back to the reset page. I've done it three times now. I'm using Safari on an iPhone. Is there something I'm doing wrong before I call the bank and wait on hold for an hour?",
    ),
  },
  {
    id: 'support-double-charge',
    category: 'support',
    messages: system(
      'You are the billing assistant for Streamwell, a music streaming service. You can explain charges and start a refund request, but you cannot see card numbers. Ask for at most one piece of information at a time.',
      'I was charged 11.99 twice on the 3rd of this month for my family plan. Both charges show on my bank statement as STREAMWELL*FAMILY. I only have one account. Can you sort this out?',
    ),
  },
  {
    id: 'support-router-for-parent',
    category: 'support',
    messages: user(
      "My dad is 78 and his internet provider just sent him a new router. He'll be setting it up on his own tomorrow while I talk him through it on the phone. Can you write simple step-by-step instructions I can read out to him? He's fine with plugging things in but doesn't know what an SSID is. The old router is a black box next to the TV.",
    ),
  },
  {
    id: 'support-cancel-keep-data',
    category: 'support',
    messages: system(
      'You are a support agent for Paperstack, a cloud document service. Cancelling keeps the account read-only for 90 days, after which files are deleted. Users can export everything as a ZIP from Settings > Account > Export. Do not try to talk users out of cancelling more than once.',
      "I want to cancel my Pro subscription because I'm moving to a different tool for work, but I've got about six years of documents in there. How do I cancel without losing anything, and how long do I have to get my stuff out?",
    ),
  },
  {
    id: 'support-late-birthday-gift',
    category: 'support',
    messages: user(
      "Write a reply to this customer email for our small online toy shop. We use a courier and the parcel is stuck at their depot after a sorting machine broke down; the courier says it should move within two days. We can offer a 15% discount code or a full refund if it doesn't arrive by Friday.\n\nCustomer email: \"I ordered the wooden train set TEN days ago for my son's birthday, which is on Friday. Your website said 3-5 days. Tracking has said 'at depot' since Monday. This is really not good enough and I'm honestly thinking of cancelling and buying it somewhere else.\"",
    ),
  },
  {
    id: 'support-api-rate-limit',
    category: 'support',
    messages: system(
      'You are developer support for Geoplot, a maps API. Limits: free tier 10 requests per second and 50,000 per day; paid tier 100 per second. A 429 response carries a Retry-After header in seconds. Batch geocoding accepts up to 100 addresses per request.',
      "We're getting lots of HTTP 429 errors from your geocoding endpoint since this morning. We run a nightly job that geocodes about 40,000 customer addresses, one request per address, with 20 worker threads. It worked fine last month. What's going on and how should we fix it?",
    ),
  },
  {
    id: 'support-warranty-coffee-machine',
    category: 'support',
    messages: user(
      "My espresso machine is 14 months old and now leaks water from underneath whenever I use the steam wand. The warranty was 12 months but I read somewhere that in the EU you get two years anyway. I bought it from an online retailer, not from the manufacturer. Who should I contact, and what should I say?",
    ),
  },
];

const CODE_REVIEW: BuiltinPrompt[] = [
  {
    id: 'code-review-python-config-loader',
    category: 'code-review',
    messages: user(
      'Please review this Python function. It is called once at start-up in a small web service.\n\n```python\nimport json\n\ndef load_config(path):\n    try:\n        f = open(path)\n        data = json.loads(f.read())\n    except:\n        data = {}\n    if data["debug"] == True:\n        print("debug mode")\n    port = data.get("port", "8080")\n    return data, int(port)\n```',
    ),
  },
  {
    id: 'code-review-js-async-foreach',
    category: 'code-review',
    messages: user(
      "This Node.js function is supposed to upload all files and then log how many succeeded, but it always logs 0. Review it and explain what's wrong.\n\n```js\nasync function uploadAll(files, client) {\n  let ok = 0;\n  files.forEach(async (file) => {\n    try {\n      await client.upload(file.path, file.name);\n      ok++;\n    } catch (e) {\n      console.error('failed', file.name);\n    }\n  });\n  console.log('uploaded', ok, 'of', files.length);\n  return ok;\n}\n```",
    ),
  },
  {
    id: 'code-review-sql-search',
    category: 'code-review',
    messages: system(
      'You are a senior engineer doing a code review. Be direct, list issues by severity, and show a corrected version at the end.',
      "Review this Express route:\n\n```js\napp.get('/customers/search', async (req, res) => {\n  const name = req.query.name;\n  const sql = \"SELECT * FROM customers WHERE name LIKE '%\" + name + \"%' ORDER BY \" + req.query.sort;\n  const rows = await db.query(sql);\n  res.json(rows);\n});\n```",
    ),
  },
  {
    id: 'code-review-go-worker-pool',
    category: 'code-review',
    messages: user(
      'Can you review this Go code? Sometimes the program never exits.\n\n```go\nfunc process(jobs []Job) []Result {\n    results := make(chan Result)\n    for _, j := range jobs {\n        go func() {\n            results <- handle(j)\n        }()\n    }\n    var out []Result\n    for r := range results {\n        out = append(out, r)\n    }\n    return out\n}\n```',
    ),
  },
  {
    id: 'code-review-rust-parse-pairs',
    category: 'code-review',
    messages: user(
      'I am learning Rust. Is this idiomatic? What would you change?\n\n```rust\nfn parse_pairs(input: String) -> Vec<(String, i32)> {\n    let mut out = Vec::new();\n    for line in input.clone().split("\\n") {\n        let parts: Vec<&str> = line.split("=").collect();\n        let key = parts[0].to_string();\n        let value = parts[1].trim().parse::<i32>().unwrap();\n        out.push((key.clone(), value));\n    }\n    return out;\n}\n```',
    ),
  },
  {
    id: 'code-review-react-user-profile',
    category: 'code-review',
    messages: user(
      "Our React profile page sometimes shows the wrong user's name for a moment when you click quickly between users. Review this component:\n\n```jsx\nfunction Profile({ userId }) {\n  const [user, setUser] = useState(null);\n  useEffect(() => {\n    fetch('/api/users/' + userId)\n      .then((r) => r.json())\n      .then((data) => setUser(data));\n  }, []);\n  if (!user) return <Spinner />;\n  return <h1>{user.name}</h1>;\n}\n```",
    ),
  },
  {
    id: 'code-review-bash-cleanup',
    category: 'code-review',
    messages: user(
      'This backup clean-up script runs from cron every night as root. Anything dangerous in it?\n\n```bash\n#!/bin/bash\nBACKUP_DIR=$1\ncd $BACKUP_DIR\nfor f in $(ls *.tar.gz); do\n  age=$(( ($(date +%s) - $(stat -c %Y $f)) / 86400 ))\n  if [ $age -gt 30 ]; then\n    rm -rf $f\n  fi\ndone\necho "done"\n```',
    ),
  },
  {
    id: 'code-review-java-money',
    category: 'code-review',
    messages: system(
      'You review Java code for a fintech team. Focus on correctness first, then API design.',
      'Review this class:\n\n```java\npublic class Money {\n    public double amount;\n    public String currency;\n\n    public Money(double amount, String currency) {\n        this.amount = amount;\n        this.currency = currency;\n    }\n\n    public Money add(Money other) {\n        return new Money(this.amount + other.amount, this.currency);\n    }\n\n    @Override\n    public boolean equals(Object o) {\n        Money m = (Money) o;\n        return amount == m.amount && currency == m.currency;\n    }\n}\n```',
    ),
  },
];

const CREATIVE_WRITING: BuiltinPrompt[] = [
  {
    id: 'creative-writing-lighthouse-opening',
    category: 'creative-writing',
    messages: user(
      'Write the opening paragraph of a short story about a lighthouse keeper who finds that the light has been switched on by someone else, on a night when she is certain she is alone on the island. Keep it under 200 words and end on a line that makes the reader want to continue.',
    ),
  },
  {
    id: 'creative-writing-commuter-poem',
    category: 'creative-writing',
    messages: user(
      'Write a free-verse poem of about twelve lines about the 7:14 commuter train: the same faces every morning, nobody speaking, and the one day the train is cancelled and they all have to talk to each other.',
    ),
  },
  {
    id: 'creative-writing-wolf-retelling',
    category: 'creative-writing',
    messages: system(
      'You are a children\'s author with a dry sense of humour. Your stories are suitable for ages 8 to 11.',
      "Retell the story of Little Red Riding Hood from the wolf's point of view, as if he is writing a complaint to the forest council about how unfairly he has been treated. About 400 words.",
    ),
  },
  {
    id: 'creative-writing-time-traveller-letter',
    category: 'creative-writing',
    messages: user(
      'Write a short letter from a time traveller who has arrived in the year 1890 and is trying to explain to her sister back home, in the present day, what she misses most and what surprised her. Make it funny but also a little sad.',
    ),
  },
  {
    id: 'creative-writing-snail-bedtime',
    category: 'creative-writing',
    messages: user(
      'My four-year-old wants a new bedtime story every night about "Sid the snail who wants to go fast". Tonight, write one where Sid enters a race against a beetle. About 300 words, gentle, with a happy ending and a repeated line she can join in with.',
    ),
  },
  {
    id: 'creative-writing-bakery-jingle',
    category: 'creative-writing',
    messages: user(
      'Write lyrics for a 30-second radio jingle for "Mill Lane Bakery", a family bakery that has been open since 1962 and is famous for its cinnamon buns. Two short verses and a catchy chorus, easy to sing.',
    ),
  },
  {
    id: 'creative-writing-two-strangers-dialogue',
    category: 'creative-writing',
    messages: user(
      'Write a scene told only in dialogue, no narration, between two strangers stuck in a lift between the 9th and 10th floors. One is about to go into a job interview; the other, we slowly realise, is the person who will interview them.',
    ),
  },
];

const TECHNICAL_EXPLANATION: BuiltinPrompt[] = [
  {
    id: 'technical-explanation-kv-cache',
    category: 'technical-explanation',
    messages: user(
      'Explain what a KV cache is in transformer inference, for a backend engineer who knows what matrix multiplication is but has never worked on machine learning. Three short paragraphs: what is cached, why it makes generation faster, and why it limits how many requests a GPU can serve at once.',
    ),
  },
  {
    id: 'technical-explanation-tls-handshake',
    category: 'technical-explanation',
    messages: user(
      'Walk me through what happens during a TLS 1.3 handshake when my browser connects to a website, step by step. I want to understand where the certificate is checked and how both sides end up with the same key without sending it.',
    ),
  },
  {
    id: 'technical-explanation-processes-threads',
    category: 'technical-explanation',
    messages: system(
      'You are a patient computer science tutor. Use one concrete analogy and then the precise technical version.',
      'What is the difference between a process and a thread? When would I choose one over the other?',
    ),
  },
  {
    id: 'technical-explanation-btree-index',
    category: 'technical-explanation',
    messages: user(
      "Why does adding an index make a SELECT with a WHERE clause so much faster in PostgreSQL, and why does it make INSERTs slower? Explain how a B-tree index is laid out, assuming I've never studied data structures.",
    ),
  },
  {
    id: 'technical-explanation-eventual-consistency',
    category: 'technical-explanation',
    messages: user(
      'My team is moving to a database that is "eventually consistent". Explain what that means in practice, with an example of a bug it could cause in a shopping cart, and two common ways applications deal with it.',
    ),
  },
  {
    id: 'technical-explanation-generational-gc',
    category: 'technical-explanation',
    messages: user(
      'How does a generational garbage collector work, and why is the idea that "most objects die young" so important to it? Mention what a stop-the-world pause is and why latency-sensitive services care.',
    ),
  },
  {
    id: 'technical-explanation-gps',
    category: 'technical-explanation',
    messages: user(
      'How does my phone work out where it is using GPS? Explain the role of the satellites\' clocks, why at least four satellites are needed, and why relativity has to be taken into account.',
    ),
  },
  {
    id: 'technical-explanation-continuous-batching',
    category: 'technical-explanation',
    messages: system(
      'You explain infrastructure topics to experienced software engineers. Be precise and avoid marketing language.',
      'What is continuous batching in LLM serving, and why does it give much higher throughput than serving one request at a time or using static batches? What does it do to the latency of an individual request?',
    ),
  },
];

const BUSINESS_ANALYSIS: BuiltinPrompt[] = [
  {
    id: 'business-analysis-usage-pricing',
    category: 'business-analysis',
    messages: user(
      'We sell project-management software at 12 per seat per month to about 900 customers, mostly teams of 5 to 50. We are considering switching to usage-based pricing (per active project). List the main risks and opportunities of the switch and what data we should look at before deciding.',
    ),
  },
  {
    id: 'business-analysis-churn-numbers',
    category: 'business-analysis',
    messages: system(
      'You are a SaaS finance analyst. Show your calculations.',
      'Our subscription app had 10,000 paying users on 1 January. Over the quarter we gained 2,400 new paying users and lost 1,700. Average revenue per user is 9 per month. What was our quarterly churn rate, what is the monthly churn rate approximately, and what would a 1-point reduction in monthly churn be worth in annual revenue at this size?',
    ),
  },
  {
    id: 'business-analysis-build-vs-buy',
    category: 'business-analysis',
    messages: user(
      'Our 40-person company needs an internal tool to track equipment loans (laptops, cameras, test phones). A SaaS product costs 6 per user per month for everyone who needs access, about 40 people. One of our developers estimates building a simple version would take three weeks. Compare build versus buy, including costs people usually forget.',
    ),
  },
  {
    id: 'business-analysis-bike-shop-swot',
    category: 'business-analysis',
    messages: user(
      'Do a SWOT analysis for a two-person bicycle repair shop in a mid-sized university town. It has a loyal customer base and good reviews, but a large chain store with a service desk just opened on the edge of town, and e-bike sales are growing fast.',
    ),
  },
  {
    id: 'business-analysis-delivery-unit-economics',
    category: 'business-analysis',
    messages: user(
      'A meal-kit company charges 48 per box. Ingredients cost 19, packaging 4, delivery 7, and payment fees are 2% of the price. Customer acquisition cost is 85, and on average customers buy 6 boxes before cancelling. Work out the contribution margin per box and the lifetime value to acquisition cost ratio, and say whether the business model looks healthy.',
    ),
  },
  {
    id: 'business-analysis-market-entry',
    category: 'business-analysis',
    messages: user(
      'A coffee roaster that sells subscriptions online in Germany wants to expand to France next year. What questions should they answer before deciding, and what would a cheap first experiment look like?',
    ),
  },
  {
    id: 'business-analysis-vendor-offer',
    category: 'business-analysis',
    messages: system(
      'You advise a small company\'s operations director. Be concrete and balanced.',
      'Our cloud provider offers a 3-year commitment: a 38% discount on compute in exchange for committing to at least 20,000 per month. We currently spend 26,000 per month, but we expect to move one large workload to on-premises hardware within 18 months, which would cut spend by about 9,000 per month. Should we sign?',
    ),
  },
];

const SUMMARISATION: BuiltinPrompt[] = [
  {
    id: 'summarisation-incident-report',
    category: 'summarisation',
    messages: system(
      'You summarise documents for busy executives. Lead with the single most important fact.',
      `Summarise this incident report in five bullet points, then list the action items with their owners.\n\n${INCIDENT_REPORT}`,
    ),
  },
  {
    id: 'summarisation-meeting-transcript',
    category: 'summarisation',
    messages: user(
      `Here is a transcript of our release planning meeting. Write meeting minutes: the decisions made, the action items with owners and deadlines, and any open risks.\n\n${MEETING_TRANSCRIPT}`,
    ),
  },
  {
    id: 'summarisation-product-spec',
    category: 'summarisation',
    messages: user(
      `Summarise this product spec in one paragraph for the sales team, then separately list the open questions that engineering should answer first.\n\n${PRODUCT_SPEC}`,
    ),
  },
  {
    id: 'summarisation-user-research',
    category: 'summarisation',
    messages: user(
      `I have to present this research to our leadership team in three minutes. Give me the key findings as short bullet points and one sentence on what we should do next.\n\n${RESEARCH_REPORT}`,
    ),
  },
  {
    id: 'summarisation-board-memo',
    category: 'summarisation',
    messages: system(
      'You are an assistant to a non-executive board member. Be neutral and point out anything the board should question.',
      `Summarise this memo in under 150 words, and then list three questions I should ask at the board meeting.\n\n${BOARD_MEMO}`,
    ),
  },
  {
    id: 'summarisation-field-study',
    category: 'summarisation',
    messages: user(
      `Summarise this report for the allotment association newsletter, in plain friendly language, at most 200 words. Keep the practical recommendations.\n\n${FIELD_STUDY}`,
    ),
  },
  {
    id: 'summarisation-hybrid-policy',
    category: 'summarisation',
    messages: user(
      `I'm starting at this company next month. Summarise what this policy means for me in practice as a new hybrid employee, as a short list.\n\n${POLICY_DOCUMENT}`,
    ),
  },
];

const SHORT_FACTUAL: BuiltinPrompt[] = [
  { id: 'short-factual-australia-capital', category: 'short-factual', messages: user('What is the capital of Australia? Answer in one sentence.') },
  { id: 'short-factual-gold-symbol', category: 'short-factual', messages: user('What is the chemical symbol for gold?') },
  { id: 'short-factual-berlin-wall', category: 'short-factual', messages: user('In which year did the Berlin Wall fall?') },
  { id: 'short-factual-largest-planet', category: 'short-factual', messages: user('Which is the largest planet in our solar system, and roughly how many Earths would fit inside it?') },
  { id: 'short-factual-http-acronym', category: 'short-factual', messages: user('What does HTTP stand for?') },
  {
    id: 'short-factual-pride-prejudice',
    category: 'short-factual',
    messages: system('Answer in as few words as possible.', 'Who wrote Pride and Prejudice, and when was it first published?'),
  },
  { id: 'short-factual-boiling-altitude', category: 'short-factual', messages: user('Why does water boil at a lower temperature on a high mountain? One or two sentences.') },
  { id: 'short-factual-bytes-kibibyte', category: 'short-factual', messages: user('How many bytes are in a kibibyte, and how is that different from a kilobyte?') },
];

const REASONING: BuiltinPrompt[] = [
  {
    id: 'reasoning-two-trains',
    category: 'reasoning',
    messages: user(
      'A freight train leaves a station at 9:00 travelling at 80 km/h. A passenger train leaves the same station at 10:00 on a parallel track in the same direction at 120 km/h. At what time does the passenger train draw level with the freight train, and how far from the station? Show the steps.',
    ),
  },
  {
    id: 'reasoning-meeting-slots',
    category: 'reasoning',
    messages: user(
      'Four people need a one-hour meeting on Tuesday between 9:00 and 17:00. Ana is busy 9:00–11:00 and 15:00–16:00. Ben is busy 10:30–12:30. Chloe can only meet after 13:00. Dev is busy 13:00–14:00 and 16:30–17:00. Which one-hour slots work for everyone? Explain how you found them.',
    ),
  },
  {
    id: 'reasoning-dice-probability',
    category: 'reasoning',
    messages: user('If I roll two fair six-sided dice, what is the probability that the total is at least 10? And what is the probability that at least one die shows a 6? Work it out step by step.'),
  },
  {
    id: 'reasoning-honest-liars',
    category: 'reasoning',
    messages: system(
      'Reason carefully and check your answer against every statement before replying.',
      'On an island, every person either always tells the truth or always lies. You meet three islanders, Ren, Sol and Tam. Ren says: "Sol is a liar." Sol says: "Ren and Tam are the same kind." Tam says nothing. What can you deduce about each of the three? If something cannot be determined, say so and explain why.',
    ),
  },
  {
    id: 'reasoning-notebook-pen',
    category: 'reasoning',
    messages: user('A notebook and a pen cost 3.30 together. The notebook costs 3.00 more than the pen. How much does the pen cost? Explain why the first answer that comes to mind is wrong.'),
  },
  {
    id: 'reasoning-office-coffee-estimate',
    category: 'reasoning',
    messages: user(
      'Estimate how many kilograms of coffee beans an office of 200 people gets through in a year. State each assumption you make and give a range rather than a single number.',
    ),
  },
  {
    id: 'reasoning-ages-puzzle',
    category: 'reasoning',
    messages: user('Mira is three times as old as her son. In twelve years she will be twice as old as him. How old are they now? Set up the equations and check the answer.'),
  },
  {
    id: 'reasoning-cache-or-not',
    category: 'reasoning',
    messages: user(
      'An API call takes 200 ms. Adding a cache would make a hit take 5 ms, but a miss would take 210 ms because of the extra lookup. What hit rate does the cache need before the average latency improves, and what hit rate halves it? Show the working.',
    ),
  },
];

export const BUILTIN_WORKLOAD: readonly BuiltinPrompt[] = [
  ...SUPPORT,
  ...CODE_REVIEW,
  ...CREATIVE_WRITING,
  ...TECHNICAL_EXPLANATION,
  ...BUSINESS_ANALYSIS,
  ...SUMMARISATION,
  ...SHORT_FACTUAL,
  ...REASONING,
];
