// The steps of each type of task, shown on a task's page as its checklist. The person doing the
// task ticks them as they go (tasks.checklist_done); the office sees how far they are.
import type { TaskType } from './enums.js';

/**
 * The steps every task of a type takes, shown as its checklist; what is particular to one task is
 * in its description and notes.
 */
export const TASK_CHECKLISTS: Record<TaskType, readonly string[]> = {
  CLEANING: [
    'Strip the beds and start the laundry',
    'Clean the kitchen: surfaces, hob, fridge and dishes',
    'Clean the bathrooms and restock towels and toiletries',
    'Make the beds with fresh linen',
    'Vacuum and mop every room',
    'Empty the bins and take out the rubbish',
    'Check for damage or missing items and note it',
    'Lock up and return the keys as the access notes say',
  ],
  MAINTENANCE: [
    'Find and check the fault described',
    'Repair it, or note what parts or help it needs',
    'Test that it works',
    'Leave the place clean and tidy',
    'Note what was done',
  ],
  INSPECTION: [
    'Walk through every room',
    'Check appliances, lights, water and heating',
    'Check for damage, stains or missing items',
    'Note anything that needs cleaning or repair',
  ],
  DELIVERY: ['Collect the items', 'Deliver them to the property', 'Note what was left and where'],
  GUEST_MEETING: ['Confirm the time with the guest', 'Meet the guest', 'Note what was agreed'],
  CHECK_IN: [
    'Check the property is clean and ready',
    'Meet the guests and check their identity',
    'Hand over the keys and show them around',
    'Explain the house rules',
  ],
  CHECK_OUT: ['Collect the keys', 'Check for damage or missing items', 'Note the meter readings'],
  PHOTOGRAPHY: ['Stage every room', 'Photograph each room and the views', 'Upload the photos'],
  MARKETING: ['Review the listing text', 'Update the photos and prices', 'Publish the changes'],
};

/** Whether `step` is one of the checklist's steps for this type of task. */
export function isChecklistStep(type: TaskType, step: string): boolean {
  return TASK_CHECKLISTS[type].includes(step);
}
