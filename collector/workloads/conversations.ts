// Multi-turn chat scenarios: each has a system message and exactly four user turns, and every
// turn reads naturally after whatever the assistant answered before it. A run sends turn 1, keeps
// the answer, then sends the whole history plus turn 2, and so on, so prompts grow turn by turn
// the way real chats do (and a prefix cache can reuse the earlier turns).
import type { ChatMessage } from '../engines/engine.ts';

export interface ConversationScenario {
  name: string;
  description: string;
  system: string;
  /** The user messages, in order. */
  turns: readonly [string, string, string, string];
}

export interface ConversationTurn {
  user: string;
  assistant: string;
}

export const CONVERSATIONS: readonly ConversationScenario[] = [
  {
    name: 'debugging-session',
    description: 'An engineer chases a memory leak in a Node.js service with a colleague.',
    system: 'You are a senior backend engineer helping a colleague debug a production problem. Ask for evidence before guessing, and keep answers practical.',
    turns: [
      "Our Node.js service's memory climbs steadily from about 300 MB to 2 GB over a day, and then the container gets killed. It started after last week's release, which added an in-memory cache for user sessions and upgraded our HTTP client library. Where would you start?",
      'Thanks. I took two heap snapshots an hour apart. The biggest growth is in Map entries holding session objects, and there are also a lot of pending timers. Given what you said, what exactly should I look for in the cache code?',
      "Found it, I think: entries are only removed when a user logs out, and most users just close the tab. What's the simplest safe fix I could ship today, and what would a proper fix look like later?",
      'Before I ship it: how can I show the fix works before it reaches production? Give me a short test plan I can paste into the pull request description.',
    ],
  },
  {
    name: 'trip-planning',
    description: 'A couple plans ten days in Japan and refines the route.',
    system: 'You are a knowledgeable, practical travel planner. Prefer realistic pacing over packing in sights.',
    turns: [
      "I'm planning a 10-day trip to Japan in late October with my partner. We like food, hiking and quiet places more than big-city nightlife. We land in Tokyo and fly home from Osaka. Could you sketch a rough route?",
      "That's helpful. We'd like fewer nights in big cities than that and somewhere properly rural. Which part of your plan would you cut or shorten, and where would you add a countryside stop?",
      'Let\'s go with your adjusted version. How should we get around: is a rail pass worth it for this route, or should we buy tickets as we go?',
      'Last thing: put the final plan into a day-by-day list, one line per day, and add a note on anything we should book in advance.',
    ],
  },
  {
    name: 'contract-review',
    description: 'A freelance developer reviews a consulting contract before signing.',
    system: 'You help freelancers and small business owners understand contracts in plain language. You are not a lawyer; say clearly when something needs one.',
    turns: [
      'I\'m a freelance developer and a client sent me this contract. Can you point out anything I should worry about?\n\n"4. Intellectual property. All work product, including pre-existing tools, libraries and know-how used by the Consultant in performing the Services, shall become the exclusive property of the Client upon creation.\n6. Payment. Invoices are payable within 90 days of receipt, subject to the Client\'s approval of the deliverables at its sole discretion.\n9. Termination. The Client may terminate this Agreement at any time without notice. The Consultant may terminate with 60 days\' written notice.\n11. Liability. The Consultant shall indemnify the Client against all losses arising from the Services, without limit."',
      'Of the points you raised, which one would you push back on first if I can realistically negotiate only one thing, and why?',
      "The client's lawyer replied that their terms are \"standard and non-negotiable\". How could I reply politely while still protecting myself? Draft a short email.",
      "OK. Summarise everything we've discussed as a checklist I can bring to a lawyer for a one-hour review, so I don't waste their time.",
    ],
  },
  {
    name: 'learning-sql',
    description: 'A beginner learns joins and grouping with a tutor, then tries an exercise.',
    system: 'You are a friendly SQL tutor. Explain the reasoning, not just the query, and use PostgreSQL syntax.',
    turns: [
      "I'm learning SQL. I have two tables: customers(id, name, city) and orders(id, customer_id, total, created_at). How do I list every customer with the number of orders they've placed, including customers with no orders at all?",
      'Thanks. Now I want only customers from Lisbon or Porto, and only orders from 2024. When I add those conditions, the customers with no orders disappear. Why does that happen, and how do I fix it?',
      "Can you give me a practice exercise on the same two tables, a bit harder than this, without the answer? I'd like to try it myself.",
      "Here's my attempt: SELECT c.city, AVG(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.city HAVING COUNT(*) > 5; Does it solve the exercise you gave me? If not, tell me what it actually computes and what I'd need to change.",
    ],
  },
  {
    name: 'customer-escalation',
    description: 'An angry broadband customer is calmed down and gets a plan.',
    system: 'You are a senior support agent at Northwire Broadband. You can book engineer visits (earliest Thursday), credit accounts up to 30 for service loss, and escalate to a team leader. Stay calm, take ownership, and never blame the customer.',
    turns: [
      "I've had no internet for three days. I've restarted the router four times, I've been on hold twice for over an hour, and the last person promised an engineer would call me back and nobody did. I work from home. What are you going to do about it?",
      "I've already done everything like that, honestly. The light on the router is flashing red. I want to know when an engineer will actually come out, and I want compensation for the days I've lost.",
      "Fine. I can be in on Thursday morning if an engineer can come then. But I want it in writing, and what happens if they don't turn up again?",
      "OK, thank you, that's more than I got last time. Can you sum up what happens next and what I'll get, in one message I can keep?",
    ],
  },
];

export function findConversation(name: string): ConversationScenario | undefined {
  return CONVERSATIONS.find((scenario) => scenario.name === name);
}

/**
 * The messages to send for turn `turn` (0-based): the system message, the earlier user/assistant
 * pairs from `history` (one per earlier turn, as actually exchanged), then the new user turn.
 */
export function nextTurnMessages(scenario: ConversationScenario, turn: number, history: readonly ConversationTurn[]): ChatMessage[] {
  if (!Number.isInteger(turn) || turn < 0 || turn >= scenario.turns.length) {
    throw new RangeError(`${scenario.name} has turns 0 to ${scenario.turns.length - 1}, not ${turn}`);
  }
  if (history.length !== turn) {
    throw new RangeError(`turn ${turn} of ${scenario.name} needs the ${turn} earlier exchange(s), got ${history.length}`);
  }
  const messages: ChatMessage[] = [{ role: 'system', content: scenario.system }];
  for (const exchange of history) {
    messages.push({ role: 'user', content: exchange.user }, { role: 'assistant', content: exchange.assistant });
  }
  messages.push({ role: 'user', content: scenario.turns[turn]! });
  return messages;
}
