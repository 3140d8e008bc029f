import { configure } from '@testing-library/react';

// findBy…/waitFor follow the DOM; the limit is only a hang guard, generous so a busy machine does not fail a test.
configure({ asyncUtilTimeout: 15_000 });
