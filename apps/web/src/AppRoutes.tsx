import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { useMe } from './api/queries.js';
import { RequireAdmin } from './auth/RequireAdmin.js';
import { SignInPage } from './auth/SignInPage.js';
import { activateLocale } from './i18n/i18n.js';
import { JobsPage } from './pages/admin/JobsPage.js';
import { RecordingsAuditPage } from './pages/admin/RecordingsAuditPage.js';
import { SettingsPage } from './pages/admin/SettingsPage.js';
import { UsersPage } from './pages/admin/UsersPage.js';
import { CallPage } from './pages/calls/CallPage.js';
import { CompaniesPage } from './pages/companies/CompaniesPage.js';
import { CompanyPage } from './pages/companies/CompanyPage.js';
import { ContactEditPage } from './pages/contacts/ContactEditPage.js';
import { ContactPage } from './pages/contacts/ContactPage.js';
import { ContactsPage } from './pages/contacts/ContactsPage.js';
import { DashboardPage } from './pages/DashboardPage.js';
import { DealPage } from './pages/deals/DealPage.js';
import { DealsPage } from './pages/deals/DealsPage.js';
import { LeadPage } from './pages/leads/LeadPage.js';
import { LeadsPage } from './pages/leads/LeadsPage.js';
import { MissedCallsPage } from './pages/missed-calls/MissedCallsPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { NewCallersPage } from './pages/new-callers/NewCallersPage.js';
import { StatisticsPage } from './pages/statistics/StatisticsPage.js';
import { TasksPage } from './pages/tasks/TasksPage.js';
import { CallsPage } from './pages/telephony/CallsPage.js';
import { InboxPage } from './pages/telephony/InboxPage.js';
import { TelephonySettingsPage } from './pages/telephony/TelephonySettingsPage.js';
import { Shell } from './shell/Shell.js';

/** Signed out: the sign-in page on any URL. Signed in: the shell and its pages. */
export function AppRoutes() {
  const me = useMe();
  const locale = me.data?.locale;
  useEffect(() => {
    if (locale) {
      activateLocale(locale);
    }
  }, [locale]);

  if (me.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (!me.data) {
    return <SignInPage />;
  }
  return (
    <Routes>
      <Route element={<Shell user={me.data} />}>
        <Route index element={<DashboardPage />} />
        <Route path="contacts" element={<ContactsPage />} />
        <Route path="contacts/new" element={<ContactEditPage />} />
        <Route path="contacts/:id" element={<ContactPage />} />
        <Route path="contacts/:id/edit" element={<ContactEditPage />} />
        <Route path="companies" element={<CompaniesPage />} />
        <Route path="companies/:id" element={<CompanyPage />} />
        <Route path="leads" element={<LeadsPage />} />
        <Route path="leads/:id" element={<LeadPage />} />
        <Route path="deals" element={<DealsPage />} />
        <Route path="deals/:id" element={<DealPage />} />
        <Route path="tasks" element={<TasksPage />} />
        <Route path="calls" element={<CallsPage />} />
        <Route path="new-callers" element={<NewCallersPage />} />
        <Route path="missed-calls" element={<MissedCallsPage />} />
        <Route path="calls/:id" element={<CallPage />} />
        <Route path="statistics" element={<StatisticsPage />} />
        <Route element={<RequireAdmin user={me.data} />}>
          <Route path="admin/users" element={<UsersPage />} />
          <Route path="admin/settings" element={<SettingsPage />} />
          <Route path="admin/telephony" element={<TelephonySettingsPage />} />
          <Route path="admin/inbox" element={<InboxPage />} />
          <Route path="admin/jobs" element={<JobsPage />} />
          <Route path="admin/recordings-audit" element={<RecordingsAuditPage />} />
        </Route>
        <Route path="signin" element={<Navigate to="/" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
