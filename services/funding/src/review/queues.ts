import { actingEmployerId, actingProviderId, Forbidden, isRole, requirePrincipal } from '@tauliah/core';
import { eq, sql } from 'drizzle-orm';
import { approveApplication } from '../budget/ledger.ts';
import { application, courseApproval } from '../db/schema.ts';
import { announceApplicationDecided, announceCourseApprovalDecided } from './announce.ts';
import { ownFunderSchemes } from './listing.ts';
import { ReviewQueue } from './queue.ts';

/** Providers submit their courses for a scheme; the funder approves which courses it pays for. */
export const courseApprovals = new ReviewQueue({
  table: courseApproval,
  typename: 'CourseApproval',
  what: 'course approval',
  submission: ['schemeId', 'courseId'],
  filterIds: ['schemeId', 'providerId', 'courseId'],
  async visibleTo(context) {
    const { viewer } = context;
    if (isRole(viewer, 'FUNDER')) return ownFunderSchemes(context, courseApproval.schemeId);
    if (isRole(viewer, 'ADMIN')) return undefined;
    const providerId = actingProviderId(viewer);
    if (!providerId) throw new Forbidden('Only funder staff, providers and administrators see course approvals.');
    return eq(courseApproval.providerId, providerId);
  },
  raceKeys: ['course_approval_supersedes_key', 'course_approval_idempotency_key'],
  stillOpen: (status) => `This course is already ${status.toLowerCase()} for this scheme.`,
  raced: 'Another submission of this course for this scheme was made at the same time; list the queue and retry.',
  announce: announceCourseApprovalDecided,
});

/** Learners apply for B40 aid and employers claim HRD Corp grants; approval commits the scheme's budget. */
export const applications = new ReviewQueue({
  table: application,
  typename: 'FundingApplication',
  what: 'application',
  submission: ['schemeId', 'learnerId', 'courseId'],
  filterIds: ['schemeId', 'learnerId'],
  async visibleTo(context) {
    const { viewer } = context;
    const { subject } = requirePrincipal(viewer);
    if (isRole(viewer, 'FUNDER')) return ownFunderSchemes(context, application.schemeId);
    if (isRole(viewer, 'ADMIN')) return undefined;
    if (isRole(viewer, 'LEARNER')) return eq(application.learnerId, subject);
    const employerId = actingEmployerId(viewer);
    return employerId ? eq(application.employerId, employerId) : sql`false`;
  },
  raceKeys: ['application_supersedes_key', 'application_idempotency_key'],
  stillOpen: (status) => `An application for this course is already ${status.toLowerCase()}.`,
  raced: 'Another application for this course was made at the same time; list the applications and retry.',
  announce: announceApplicationDecided,
  approve: approveApplication,
});
